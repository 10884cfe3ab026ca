import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import type { Logger } from '../logging/logger.ts';

/**
 * With REDIS_URL, socket.io's Redis adapter joins the rooms of every server instance: an
 * emission to a room, or disconnecting a room's sockets (a revoked key), reaches the clients of
 * all instances. Its channels are named after the deployment's prefix (QUEUE_PREFIX), like the
 * queue's keys. Returns what closes its two connections.
 */
export function useRedisAdapter(io: Server, redisUrl: string, prefix: string, logger: Logger): () => void {
  const publisher = new Redis(redisUrl);
  const subscriber = publisher.duplicate();
  publisher.on('error', (error) => logger.warn({ err: error }, 'redis (socket.io publisher) connection error'));
  subscriber.on('error', (error) => logger.warn({ err: error }, 'redis (socket.io subscriber) connection error'));
  io.adapter(createAdapter(publisher, subscriber, { key: `${prefix}:socket.io` }));
  return () => {
    publisher.disconnect();
    subscriber.disconnect();
  };
}
