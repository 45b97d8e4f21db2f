import type { AnswerOf, AskRequest, IoHost, Spec3Event } from '../../src/context.js';

/** An IoHost for tests: records events and questions, answers by question code or with the default. */
export class TestIo implements IoHost {
  readonly events: Spec3Event[] = [];
  readonly asked: AskRequest[] = [];

  constructor(private readonly answers: Readonly<Record<string, unknown>> = {}) {}

  emit(event: Spec3Event): void {
    this.events.push(event);
  }

  async ask<R extends AskRequest>(request: R): Promise<AnswerOf<R>> {
    this.asked.push(request);
    return (request.code in this.answers ? this.answers[request.code] : request.default) as AnswerOf<R>;
  }

  codes(): string[] {
    return this.events.map((e) => e.code);
  }
}
