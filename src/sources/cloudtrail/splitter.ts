// Splits a stream of JSON text into the texts of the records it holds, so a big log file is never held whole.

/**
 * Finds record objects in a JSON array (`[{…},{…}]`) or in the "Records" array of a CloudTrail log file
 * (`{"Records":[{…},…]}`), chunk by chunk. It only tracks strings and brackets, so each record is then
 * parsed on its own: one malformed record costs that record, not the file. Memory is bounded by the
 * largest record, not the file.
 */
export class RecordSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** Depth at which record objects open: 1 for a bare array, 2 inside {"Records": [...]}. */
  private elementDepth = -1;
  private root: 'unknown' | 'array' | 'object' | 'other' = 'unknown';
  private key = '';
  private capturingKey = false;
  private lastKey = '';
  private pending = '';
  private inElement = false;
  private elementStart = -1;
  private strayReported = false;
  /** Index of the next element in its array (objects and strays alike), for error positions. */
  index = 0;

  constructor(
    private readonly onElement: (text: string, index: number) => void,
    private readonly onStray: (index: number, what: string) => void,
  ) {}

  /** What the text turned out to be: 'other' when it is neither an array nor an object. */
  get kind(): 'unknown' | 'array' | 'object' | 'other' {
    return this.root;
  }

  push(chunk: string): void {
    let start = this.inElement ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (code === 92 /* \ */) this.escape = true;
        else if (code === 34 /* " */) {
          this.inString = false;
          if (this.capturingKey) {
            this.capturingKey = false;
            this.lastKey = this.key;
          }
        } else if (this.capturingKey && this.key.length < 64) this.key += chunk[i];
        continue;
      }
      switch (code) {
        case 34: // "
          this.inString = true;
          if (this.depth === this.elementDepth) this.stray('a string');
          else if (this.depth === 1 && this.root === 'object') {
            this.capturingKey = true;
            this.key = '';
          }
          break;
        case 123: // {
        case 91: // [
          if (this.depth === 0 && this.root === 'unknown') this.root = code === 91 ? 'array' : 'object';
          if (this.depth === 0 && code === 91) this.elementDepth = 1;
          else if (this.depth === 1 && code === 91 && this.root === 'object' && this.lastKey === 'Records')
            this.elementDepth = 2;
          else if (this.depth === this.elementDepth && code === 123) {
            this.inElement = true;
            start = i;
          } else if (this.depth === this.elementDepth) this.stray(code === 91 ? 'an array' : 'a value');
          this.depth++;
          break;
        case 125: // }
        case 93: // ]
          this.depth--;
          if (this.inElement && this.depth === this.elementDepth) {
            this.pending += chunk.slice(start, i + 1);
            this.inElement = false;
            this.onElement(this.pending, this.index++);
            this.pending = '';
            start = -1;
          } else if (code === 93 && this.depth === this.elementDepth - 1) {
            this.elementDepth = -1;
            if (this.strayReported) {
              this.strayReported = false;
              this.index++;
            }
          }
          break;
        case 44: // ,
          if (this.depth === this.elementDepth && this.strayReported) {
            this.strayReported = false;
            this.index++;
          }
          break;
        case 32:
        case 9:
        case 10:
        case 13:
        case 58: // :
          break;
        default:
          if (this.depth === 0 && this.root === 'unknown' && code !== 0xfeff) this.root = 'other';
          else if (this.depth === this.elementDepth) this.stray('a value that is not an object');
      }
    }
    if (this.inElement) this.pending += chunk.slice(start);
  }

  private stray(what: string): void {
    if (this.strayReported) return;
    this.strayReported = true;
    this.onStray(this.index, what);
  }

  /** True when the text ended inside a record or an unclosed array or object. */
  get incomplete(): boolean {
    return this.depth !== 0 || this.inString || this.inElement;
  }
}
