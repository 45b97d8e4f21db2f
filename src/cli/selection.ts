/** The flags that pick a stage's stacks and their source, shared by deploy, diff and drift. */
export interface SelectionFlags {
  readonly config?: string;
  readonly phase?: string;
  readonly stack?: string[];
  readonly assembly?: string;
}

/** Those flags as engine options (absent flags stay absent). */
export function selection(flags: SelectionFlags): { config?: string; phase?: string; stacks?: string[]; assembly?: string } {
  return {
    ...(flags.config ? { config: flags.config } : {}),
    ...(flags.phase ? { phase: flags.phase } : {}),
    ...(flags.stack ? { stacks: flags.stack } : {}),
    ...(flags.assembly ? { assembly: flags.assembly } : {}),
  };
}
