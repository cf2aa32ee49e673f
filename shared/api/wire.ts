import { z } from 'zod';

/** Frames the UI sends to the studio host over WebSocket. */
export const clientMessageSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().positive(),
  name: z.string().max(100),
  payload: z.unknown().optional(),
});
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Frames the studio host sends: replies to calls, and pushed events. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int(), result: z.unknown() }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

/**
 * The largest WebSocket message either side accepts (the host's `maxPayload`). A larger one is
 * refused: the host closes the socket with {@link messageTooLargeCloseCode}, the client refuses to
 * send one and answers `app/message-too-large`. Bytes inside a request (base64) must fit in it.
 */
export const wsMaxMessageBytes = 64 * 1024 * 1024;
/** WebSocket close code for "message too big" (RFC 6455). */
export const messageTooLargeCloseCode = 1009;
/** The most base64 characters a request may carry over the socket, leaving room for the frame. */
export const wsMaxBase64Chars = wsMaxMessageBytes - 1024 * 1024;

/**
 * Bigger files from a browser go through the host's upload endpoint instead: `POST
 * /upload?token=…&name=<file name>` with the raw bytes as the body, streamed to a staged file in
 * the data folder. The answer is a {@link Result} of {@link StagedUpload}; its `path` is passed to the
 * path form of the import requests (sales import, assets import, show package import).
 */
export const uploadPath = '/upload';
/** The largest file the upload endpoint stages (a platform export of a year, a long background video). */
export const uploadMaxBytes = 2 * 1024 * 1024 * 1024;

export const stagedUploadSchema = z.object({ path: z.string(), bytes: z.number().int().nonnegative() });
export type StagedUpload = z.infer<typeof stagedUploadSchema>;
