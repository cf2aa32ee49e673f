import type { EventName, EventPayload } from '../../shared/api/contract';

export type EventListener = (name: EventName, payload: unknown) => void;

/** Typed fan-out of service events to every connected transport. */
export interface EventBus {
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  subscribe(listener: EventListener): () => void;
}

/** A function a service is given to push one kind of event. */
export type Emit = EventBus['emit'];

export function createEventBus(onListenerError: (error: unknown) => void = () => undefined): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      for (const listener of listeners) {
        try {
          listener(name, payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
