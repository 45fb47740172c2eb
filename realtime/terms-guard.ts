/**
 * The terms guard: whether an incoming Yjs update can change the draft's `terms` map, and a shadow
 * copy of each room's document on which such an update is tried and its terms checked against the
 * same zod schema the browser form uses, before it is stored (issue 18, item 4).
 *
 * Which root type an update changes is not written in it for most structs. In Yjs's encoding an
 * Item carries its parent only when it has neither an `origin` nor a `rightOrigin`; otherwise Yjs
 * takes the parent from the neighbour it integrates next to (so an overwrite of a map key, whose
 * origin is the key's previous value, names no parent). A value inside a nested type names its
 * parent by the ID of the item holding that type, and a deletion is only a range of IDs in the
 * update's delete set. `touchedRoots` follows these references, through the room's document and
 * through the update itself, to the root each change lands in, as Yjs would on integration.
 *
 * Only Yjs's public exports are used: `decodeUpdate`, `findIndexSS`, `getState`,
 * `findRootTypeKey`, and the struct store the Doc exposes as `doc.store` (its `clients` and
 * pending fields), read here and nowhere else in the server.
 */
import * as Y from "yjs";
import { termsSchema } from "../app/domain/terms.ts";

/** The root type that holds the structured terms. */
export const TERMS_ROOT = "terms";

type Struct = Y.Item | Y.GC | Y.Skip;
type DeleteSet = ReturnType<typeof Y.decodeUpdate>["ds"];

/** Yjs drops the struct on integration (its parent or neighbour was garbage-collected): it changes nothing. */
const NOWHERE = Symbol("nowhere");
/** The struct refers to something neither the document nor the update holds (or to a cycle). */
const UNKNOWN = Symbol("unknown");
/** Where a struct's change lands: a root type's name, nowhere, or unknown. */
type Landing = string | typeof NOWHERE | typeof UNKNOWN;
/** One step of a resolution: where it lands, or the item of the update it lands with. */
type Step = { landing: Landing } | { next: Y.Item };

export type TouchedRoots = {
  /** The root types (by name) the update inserts into or deletes from. */
  roots: Set<string>;
  /**
   * Some of the update's effect cannot be known before applying it: a struct or deletion refers to
   * items the server does not have (Yjs keeps them pending), or the document already holds pending
   * structs or deletions that this update may complete.
   */
  unresolved: boolean;
};

/**
 * The root types of `doc` that applying `update` would change. For each Item of the update: its
 * parent's name when the parent is a root; the root of the item holding its parent type when the
 * parent is an ID (in the document, or earlier in this update); otherwise the root of its origin
 * (or right origin), an item of the document or of the update. For the delete set: the roots of the
 * live (not yet deleted) items it covers. GC and Skip structs carry no content.
 */
export function touchedRoots(doc: Y.Doc, update: Uint8Array): TouchedRoots {
  const { structs, ds } = Y.decodeUpdate(update);
  const resolver = new RootResolver(doc, structs);
  const touched: TouchedRoots = { roots: new Set(), unresolved: doc.store.pendingStructs !== null || doc.store.pendingDs !== null };
  const add = (landing: Landing) => {
    if (landing === UNKNOWN) touched.unresolved = true;
    else if (landing !== NOWHERE) touched.roots.add(landing);
  };
  for (const struct of structs) if (struct instanceof Y.Item) add(resolver.landing(struct));
  resolver.deletions(ds, add);
  return touched;
}

/** Whether the update may change the terms: it touches them, or its effect is not known before applying it. */
export function mayTouchTerms(doc: Y.Doc, update: Uint8Array): boolean {
  const touched = touchedRoots(doc, update);
  return touched.unresolved || touched.roots.has(TERMS_ROOT);
}

/** The first term (key of the terms map) that `termsSchema` refuses, or null when the terms are valid. */
export function firstInvalidTerm(terms: unknown): string | null {
  const result = termsSchema.safeParse(terms);
  if (result.success) return null;
  const issue = result.error.issues[0];
  // An unknown key of the terms map itself is reported at the map, with the key beside it.
  if (issue?.code === "unrecognized_keys" && issue.path.length === 0) return issue.keys[0] ?? TERMS_ROOT;
  return String(issue?.path[0] ?? TERMS_ROOT);
}

class RootResolver {
  /** The update's structs per client, by clock (an update lists each client's structs in order; sorted anyway). */
  private readonly own = new Map<number, Struct[]>();
  private readonly landings = new Map<Y.Item, Landing>();
  private readonly typeRoots = new Map<Y.AbstractType<unknown>, Landing>();

  constructor(
    private readonly doc: Y.Doc,
    structs: Struct[],
  ) {
    for (const struct of structs) {
      const list = this.own.get(struct.id.client);
      if (list) list.push(struct);
      else this.own.set(struct.id.client, [struct]);
    }
    for (const list of this.own.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  }

  /** Where an Item of the update lands. Iterative: a chain of items of one update can be long. */
  landing(start: Y.Item): Landing {
    const chain: Y.Item[] = [];
    const onChain = new Set<Y.Item>();
    let current = start;
    let landing: Landing;
    for (;;) {
      const known = this.landings.get(current);
      if (known !== undefined) {
        landing = known;
        break;
      }
      // Items that lean on each other in a circle never integrate.
      if (onChain.has(current)) {
        landing = UNKNOWN;
        break;
      }
      chain.push(current);
      onChain.add(current);
      const step = this.step(current);
      if ("landing" in step) {
        landing = step.landing;
        break;
      }
      current = step.next;
    }
    for (const item of chain) this.landings.set(item, landing);
    return landing;
  }

  /** Calls `add` with the root of every live struct the delete set removes. */
  deletions(ds: DeleteSet, add: (landing: Landing) => void) {
    const store = this.doc.store;
    for (const [client, ranges] of ds.clients) {
      const state = Y.getState(store, client);
      const structs = store.clients.get(client) ?? [];
      for (const { clock, len } of ranges) {
        const end = clock + len;
        if (clock < state) {
          const stop = Math.min(end, state);
          for (let index = Y.findIndexSS(structs, clock); index < structs.length && structs[index]!.id.clock < stop; index += 1) {
            const struct = structs[index]!;
            // Deleting what is already deleted (or collected) changes nothing.
            if (struct instanceof Y.Item && !struct.deleted) add(this.rootOfDocItem(struct));
          }
        }
        // Beyond what the document has: the update's own items, or a deletion Yjs keeps pending.
        if (end > state) this.deletionsInUpdate(client, Math.max(clock, state), end, add);
      }
    }
  }

  private deletionsInUpdate(client: number, from: number, end: number, add: (landing: Landing) => void) {
    let covered = from;
    for (const struct of this.own.get(client) ?? []) {
      if (struct.id.clock + struct.length <= covered) continue;
      if (struct.id.clock >= end) break;
      if (struct.id.clock > covered || struct instanceof Y.Skip) break;
      if (struct instanceof Y.Item) add(this.landing(struct));
      covered = struct.id.clock + struct.length;
    }
    if (covered < end) add(UNKNOWN);
  }

  private step(item: Y.Item): Step {
    // A struct the document has in full is skipped by Yjs.
    if (item.id.clock + item.length <= Y.getState(this.doc.store, item.id.client)) return { landing: NOWHERE };
    // Decoded from an update, a root parent is its name (the typings only know integrated items).
    const parent: unknown = item.parent;
    if (typeof parent === "string") return { landing: parent };
    if (parent instanceof Y.ID) return this.throughParent(parent);
    const neighbour = item.origin ?? item.rightOrigin;
    // Neither parent nor neighbour: nothing to integrate into.
    if (!neighbour) return { landing: UNKNOWN };
    return this.throughNeighbour(neighbour);
  }

  /** An item whose parent is the type held by the item `id`. */
  private throughParent(id: Y.ID): Step {
    const inDoc = this.docStruct(id);
    if (inDoc) {
      if (inDoc instanceof Y.GC) return { landing: NOWHERE };
      return inDoc.content instanceof Y.ContentType ? { landing: this.rootOfType(inDoc.content.type) } : { landing: UNKNOWN };
    }
    const inUpdate = this.updateStruct(id);
    if (inUpdate instanceof Y.Item && inUpdate.content instanceof Y.ContentType) return { next: inUpdate };
    return { landing: UNKNOWN };
  }

  /** An item placed next to the item `id` (its origin or right origin): it lands in that item's parent. */
  private throughNeighbour(id: Y.ID): Step {
    const inDoc = this.docStruct(id);
    if (inDoc) return inDoc instanceof Y.GC ? { landing: NOWHERE } : { landing: this.rootOfDocItem(inDoc) };
    const inUpdate = this.updateStruct(id);
    return inUpdate instanceof Y.Item ? { next: inUpdate } : { landing: UNKNOWN };
  }

  private docStruct(id: Y.ID): Y.Item | Y.GC | null {
    const store = this.doc.store;
    if (id.clock >= Y.getState(store, id.client)) return null;
    const structs = store.clients.get(id.client)!;
    return structs[Y.findIndexSS(structs, id.clock)] ?? null;
  }

  private updateStruct(id: Y.ID): Struct | null {
    const structs = this.own.get(id.client);
    if (!structs) return null;
    let low = 0;
    let high = structs.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = structs[middle]!;
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return null;
  }

  private rootOfDocItem(item: Y.Item): Landing {
    return item.parent instanceof Y.AbstractType ? this.rootOfType(item.parent) : UNKNOWN;
  }

  /** The root a type of the document belongs to: up through the items holding nested types. */
  private rootOfType(type: Y.AbstractType<unknown>): Landing {
    const known = this.typeRoots.get(type);
    if (known !== undefined) return known;
    let root: Landing = UNKNOWN;
    let current: Y.AbstractType<unknown> | null = type;
    while (current?._item) current = current._item.parent instanceof Y.AbstractType ? current._item.parent : null;
    if (current?.doc === this.doc) {
      try {
        root = Y.findRootTypeKey(current);
      } catch {
        // Not one of the document's roots: unknown.
      }
    }
    this.typeRoots.set(type, root);
    return root;
  }
}

/**
 * A copy of a room's document kept in step with it, on which updates are tried before they are
 * stored: an update that may change the terms is applied here and the resulting terms checked,
 * so the live document never holds a refused update and nothing is re-encoded per update. Every
 * update applied to the live document must be applied here too (`admit` or `mirror`); after a
 * refusal the shadow holds the refused update and must be rebuilt from the live document.
 */
export class TermsShadow {
  private doc: Y.Doc;

  /** `state`: the live document encoded as one update (Y.encodeStateAsUpdate). */
  constructor(state: Uint8Array) {
    this.doc = TermsShadow.build(state);
  }

  private static build(state: Uint8Array): Y.Doc {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state, "shadow");
    return doc;
  }

  /**
   * Applies an update about to be stored; returns the first invalid term when it may change the
   * terms and leaves them invalid (then `rebuild`), or null.
   */
  admit(update: Uint8Array): string | null {
    const check = mayTouchTerms(this.doc, update);
    Y.applyUpdate(this.doc, update, "shadow");
    return check ? this.invalidTerm() : null;
  }

  /** Applies an update the live document got without a check here (stored by another process). */
  mirror(update: Uint8Array) {
    Y.applyUpdate(this.doc, update, "shadow");
  }

  /**
   * Makes a change on the shadow (one transaction) and returns its update, or null when it changed
   * nothing. The shadow keeps the change: `rebuild` if it is not stored.
   */
  change(fn: (doc: Y.Doc) => void): Uint8Array | null {
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array) => {
      update = update ? Y.mergeUpdates([update, u]) : u;
    };
    this.doc.on("update", capture);
    try {
      this.doc.transact(() => fn(this.doc), "shadow-change");
    } finally {
      this.doc.off("update", capture);
    }
    return update;
  }

  /** The first invalid term of the shadow's terms, or null. */
  invalidTerm(): string | null {
    const terms = this.doc.getMap<unknown>(TERMS_ROOT);
    // A term's value is plain JSON (what the form writes); a nested Y type would pass the schema
    // through its JSON but is not what the browser reads, so it is refused as it stands.
    for (const [key, value] of terms.entries()) if (value instanceof Y.AbstractType) return key;
    return firstInvalidTerm(terms.toJSON());
  }

  /** Starts again from the live document's state (after a refusal: the only full re-encode). */
  rebuild(state: Uint8Array) {
    this.doc.destroy();
    this.doc = TermsShadow.build(state);
  }

  destroy() {
    this.doc.destroy();
  }
}
