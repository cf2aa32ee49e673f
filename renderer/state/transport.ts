import { useEffect, useState } from 'react';

import { useStudioClient } from '../api/studio-context';

/** Whether the connection to the studio is up (always, over Electron IPC); false shows a banner. */
export function useTransportUp(): boolean {
  const client = useStudioClient();
  const [isUp, setUp] = useState(true);
  useEffect(() => client.onTransport(setUp), [client]);
  return isUp;
}
