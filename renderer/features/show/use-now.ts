import { useEffect, useState } from 'react';

/**
 * The clock, re-read every `intervalMs` while mounted. Timers render from the live state's
 * timestamps and this clock, so the services send no per-second events.
 */
export function useNow(intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
