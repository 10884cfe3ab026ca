import { io, type Socket } from 'socket.io-client';

let socket: Socket | undefined;

/** One socket.io connection per signed-in page, authenticated by the session cookie. */
export function getSocket(): Socket {
  socket ??= io({ withCredentials: true, transports: ['websocket', 'polling'] });
  return socket;
}

export function closeSocket(): void {
  socket?.close();
  socket = undefined;
}

/** Emits and resolves with the acknowledgement, rejecting the server's `{error}` answers. */
export function request<T extends object>(event: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    getSocket()
      .timeout(30_000)
      .emit(event, payload, (timeout: Error | null, answer: T | { error: { message: string } }) => {
        if (timeout) return reject(new Error('The server did not answer in time; check your connection.'));
        if ('error' in answer) return reject(new Error(answer.error.message));
        resolve(answer as T);
      });
  });
}
