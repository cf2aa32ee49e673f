import { resultSchema, StudioError } from '../../shared/api/result';
import { stagedUploadSchema, uploadMaxBytes, uploadPath } from '../../shared/api/wire';
import { hostToken } from './client';

const failed = (detail: string) =>
  new StudioError('app/upload-failed', 'The file could not be uploaded to the studio.', { detail });

/**
 * A path on the studio's disk for a file the user picked, for the path form of the import
 * requests: in the desktop app the file's own path (any size, nothing copied); in a browser the
 * file is streamed to the host's upload endpoint (`POST /upload`) and staged there. Nothing big
 * travels as base64 over the socket.
 */
export async function stageFile(file: File): Promise<string> {
  const onDisk = window.studio?.pathForFile?.(file) ?? '';
  if (onDisk !== '') return onDisk;
  if (file.size > uploadMaxBytes) {
    throw new StudioError('app/upload-too-large', 'This file is larger than the studio accepts.', {
      params: { maxMb: Math.round(uploadMaxBytes / 1024 / 1024) },
    });
  }
  const query = new URLSearchParams({ token: hostToken(), name: file.name });
  let response: Response;
  try {
    response = await fetch(`${uploadPath}?${query.toString()}`, { method: 'POST', body: file });
  } catch (error) {
    throw failed(String(error));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw failed(`HTTP ${response.status}`);
  }
  const result = resultSchema.safeParse(body);
  if (!result.success) throw failed(`HTTP ${response.status}`);
  if (!result.data.ok) throw StudioError.fromData(result.data.error);
  const staged = stagedUploadSchema.safeParse(result.data.value);
  if (!staged.success) throw failed('malformed answer');
  return staged.data.path;
}
