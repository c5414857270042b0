// Collects a command's output within a fixed size: the start and the end are kept (the end usually holds
// the failing test or the error), the middle is counted and dropped, so a noisy command cannot fill memory.

export class OutputBuffer {
  private head = "";
  private tail = "";
  private dropped = 0;

  constructor(private readonly maxChars: number) {}

  append(chunk: string): void {
    const headRoom = Math.ceil(this.maxChars / 2) - this.head.length;
    if (headRoom > 0) {
      this.head += chunk.slice(0, headRoom);
      chunk = chunk.slice(headRoom);
    }
    if (chunk === "") return;
    this.tail += chunk;
    const tailMax = Math.floor(this.maxChars / 2);
    if (this.tail.length > tailMax) {
      this.dropped += this.tail.length - tailMax;
      this.tail = this.tail.slice(this.tail.length - tailMax);
    }
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  text(): string {
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n\n[… ${this.dropped} characters of output omitted …]\n\n${this.tail}`;
  }
}
