import { useEffect, useRef } from 'preact/hooks';

/**
 * Subscribes to a server-sent-events endpoint for the life of the component: `onMessage(event, data)`
 * for each named event (`events` carries `{events, dropped}` batches on `/api/events/stream`). The
 * browser reconnects by itself; the latest `onMessage` is always the one called.
 */
export function useEventStream(path: string, eventNames: readonly string[], onMessage: (event: string, data: unknown) => void): void {
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    const source = new EventSource(path);
    const listeners = eventNames.map((name) => {
      const listener = (e: MessageEvent<string>): void => handler.current(name, JSON.parse(e.data));
      source.addEventListener(name, listener);
      return listener;
    });
    return () => {
      eventNames.forEach((name, i) => {
        const listener = listeners[i];
        if (listener) source.removeEventListener(name, listener);
      });
      source.close();
    };
  }, [path, eventNames.join(',')]);
}
