import { readJsonl } from "../io/lines.js";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { Document } from "../types.js";

/**
 * The stored documents of an index (id, title, text, metadata), so search results can show
 * titles and rerankers can read text. One JSON line per document, in index order.
 */
export class DocumentStore {
  private readonly byId: Map<string, Document>;

  constructor(documents: Iterable<Document> = []) {
    this.byId = new Map([...documents].map((document) => [document.id, document]));
  }

  static async load(path: string): Promise<DocumentStore> {
    const documents: Document[] = [];
    for await (const { value } of readJsonl(path, "document store")) {
      documents.push(value as unknown as Document);
    }
    return new DocumentStore(documents);
  }

  async save(path: string): Promise<void> {
    const lines = [...this.byId.values()].map((document) => JSON.stringify(document));
    await writeFileAtomic(path, lines.length === 0 ? "" : `${lines.join("\n")}\n`);
  }

  get(id: string): Document | undefined {
    return this.byId.get(id);
  }

  set(document: Document): void {
    this.byId.set(document.id, document);
  }

  delete(id: string): boolean {
    return this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }
}
