/**
 * What a scenario notes for its later steps ("the order", "the request"), in small notebooks, one per
 * capability (OmsNotes, RequestNotes...), each made at its first use. A capability keeps its notes in
 * its own files: the World holds the notebooks and knows none of them.
 */
import { harnessMessage } from '../../clients/messages';

export class Notes {
  private readonly books = new Map<new () => object, object>();

  /** This scenario's notebook of the kind `Book`. */
  of<T extends object>(Book: new () => T): T {
    const book = this.books.get(Book) ?? new Book();
    this.books.set(Book, book);
    return book as T;
  }
}

/** A note an earlier step must have taken: a step that needs it without it is written wrong. */
export function noted<T>(value: T | undefined, missing: string): T {
  if (value === undefined) throw new Error(harnessMessage(missing));
  return value;
}
