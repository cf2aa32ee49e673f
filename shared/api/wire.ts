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
