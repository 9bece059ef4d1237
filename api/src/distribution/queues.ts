// The distribution domain's pg-boss queues (created by the migration api/drizzle/0004_queue_pgboss.sql).
export const SEND_QUEUE = 'distribution.send';
export const DEAD_QUEUE = 'distribution.dead';
export const IMPORT_QUEUE = 'distribution.import';

export interface SendJob {
  deliveryId: string;
}

export interface ImportJob {
  importId: string;
}
