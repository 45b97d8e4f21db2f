// What the handlers share: settings from the environment and timestamps.

/** A value spec3 sets on every function: STAGE, PROJECT, TABLE_NAME, BUCKET_NAME, QUEUE_URL, TOPIC_ARN. */
export function setting(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (spec3 sets it on every function)`);
  return value;
}

/** UTC now, e.g. 2024-05-01T03:00:00.123Z; sorts as text, which the table's sort keys rely on. */
export const nowIso = () => new Date().toISOString();
