import { studio } from '../../api/client';
import { stageFile } from '../../api/upload';
import { showError } from '../../state/errors';
import { useShowLibrary } from '../../state/show-library';

function download(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Exports a show as one package. In a browser the file is downloaded; the desktop app writes it to
 * the data folder's exports and says where.
 */
export async function exportPackage(rundownId: string, title: string): Promise<void> {
  try {
    const isBrowser = studio.transport === 'ws';
    const result = await studio.call('show:package-export', { rundownId, inline: isBrowser });
    if (result.dataBase64 !== undefined) download(base64ToBytes(result.dataBase64), `${title}.harvest-show.zip`);
    useShowLibrary.setState({ notice: { kind: 'exported', text: result.path } });
  } catch (error) {
    showError(error);
  }
}

/** Imports a package file the user picked; resolves with the new rundown's id. */
export async function importPackageFile(file: File): Promise<string | null> {
  try {
    // By path: the file's own in the desktop app, a staged upload in a browser (no base64 over the socket).
    const result = await studio.call('show:package-import', { path: await stageFile(file) });
    useShowLibrary.setState({ notice: { kind: 'imported', text: result.title } });
    return result.rundownId;
  } catch (error) {
    showError(error);
    return null;
  }
}
