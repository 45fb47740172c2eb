/**
 * The terms guard (realtime/terms-guard.ts) on hand-made documents, no server: which root types an
 * update changes, however Yjs encodes where its structs go (a parent's name, a parent's ID, an
 * origin, a delete set), and the shadow on which terms updates are tried.
 */
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { firstInvalidTerm, mayTouchTerms, TermsShadow, touchedRoots } from "../../realtime/terms-guard.ts";

/** The update `change` makes on `doc` (one transaction). */
function updateOf(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => (update = u);
  doc.on("update", capture);
  doc.transact(() => change(doc));
  doc.off("update", capture);
  if (!update) throw new Error("the change made no update");
  return update;
}

/** A replica of `doc` (another client, synced). */
function replicaOf(doc: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  return replica;
}

/** The server's document: some text, some terms, a nested map as the allocation. */
function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  const editor = new Y.Doc();
  Y.applyUpdate(
    doc,
    updateOf(editor, (d) => {
      d.getText("probe").insert(0, "The rate is set below.");
      const terms = d.getMap("terms");
      terms.set("pieceRateBaseFen", 650);
      terms.set("appealWindowDays", 7);
      const allocation = new Y.Map<unknown>();
      terms.set("allocation", allocation);
      allocation.set("medianEstimate", true);
      allocation.set("dispatchRadiusMetres", 3000);
      allocation.set("maxConcurrentOrders", 3);
    }),
  );
  editor.destroy();
  return doc;
}

const items = (update: Uint8Array) => Y.decodeUpdate(update).structs.filter((struct): struct is Y.Item => struct instanceof Y.Item);
const roots = (doc: Y.Doc, update: Uint8Array) => {
  const touched = touchedRoots(doc, update);
  return { roots: [...touched.roots].sort(), unresolved: touched.unresolved };
};

describe("touchedRoots", () => {
  it("a new top-level term names its root", () => {
    const server = serverDoc();
    const update = updateOf(replicaOf(server), (d) => d.getMap("terms").set("penaltyCapFen", 5000));
    expect(items(update)[0]!.parent as unknown).toBe("terms");
    expect(roots(server, update)).toEqual({ roots: ["terms"], unresolved: false });
  });

  it("an overwrite of a term carries no parent, only an origin, and is found through it", () => {
    const server = serverDoc();
    const update = updateOf(replicaOf(server), (d) => d.getMap("terms").set("pieceRateBaseFen", -5));
    const [item] = items(update);
    expect(item!.parent).toBeNull();
    expect(item!.origin).not.toBeNull();
    expect(roots(server, update)).toEqual({ roots: ["terms"], unresolved: false });
    expect(mayTouchTerms(server, update)).toBe(true);
  });

  it("a value inside a nested type names its parent by ID and is found through the item holding it", () => {
    const server = serverDoc();
    const replica = replicaOf(server);
    const allocation = replica.getMap("terms").get("allocation") as Y.Map<unknown>;
    // A new key of the nested map: its parent is the ID of the item that holds the map.
    const added = updateOf(replica, () => allocation.set("note", "x"));
    expect(items(added)[0]!.parent).toBeInstanceOf(Y.ID);
    expect(roots(server, added)).toEqual({ roots: ["terms"], unresolved: false });
    // An overwrite inside it: an origin inside the nested map.
    const overwritten = updateOf(replica, () => allocation.set("maxConcurrentOrders", 99));
    expect(roots(server, overwritten)).toEqual({ roots: ["terms"], unresolved: false });
  });

  it("a nested type made in the same update is followed through the update's own items", () => {
    const server = serverDoc();
    const replica = replicaOf(server);
    const update = updateOf(replica, (d) => {
      const table = new Y.Array<unknown>();
      d.getMap("terms").set("pieceRateTable", table);
      const row = new Y.Map<unknown>();
      table.push([row]);
      row.set("orderType", "STANDARD");
      row.set("priceFen", -1);
    });
    const nested = items(update).filter((item) => item.parent instanceof Y.ID);
    expect(nested.length).toBeGreaterThan(0);
    expect(roots(server, update)).toEqual({ roots: ["terms"], unresolved: false });
  });

  it("a deletion alone (a delete set, no structs) is found through the items it deletes", () => {
    const server = serverDoc();
    const replica = replicaOf(server);
    const deleteTerm = updateOf(replica, (d) => d.getMap("terms").delete("appealWindowDays"));
    expect(Y.decodeUpdate(deleteTerm).structs).toHaveLength(0);
    expect(roots(server, deleteTerm)).toEqual({ roots: ["terms"], unresolved: false });
    const deleteNested = updateOf(replicaOf(server), (d) => (d.getMap("terms").get("allocation") as Y.Map<unknown>).delete("maxConcurrentOrders"));
    expect(roots(server, deleteNested)).toEqual({ roots: ["terms"], unresolved: false });
    const deleteText = updateOf(replicaOf(server), (d) => d.getText("probe").delete(0, 4));
    expect(roots(server, deleteText)).toEqual({ roots: ["probe"], unresolved: false });
    // What is deleted already changes nothing.
    Y.applyUpdate(server, deleteTerm);
    expect(roots(server, deleteTerm)).toEqual({ roots: [], unresolved: false });
  });

  it("a text edit touches only the text", () => {
    const server = serverDoc();
    const replica = replicaOf(server);
    const atEnd = updateOf(replica, (d) => d.getText("probe").insert(d.getText("probe").length, " More."));
    const inMiddle = updateOf(replica, (d) => d.getText("probe").insert(4, "piece "));
    const inBody = updateOf(replica, (d) => {
      const paragraph = new Y.XmlElement("paragraph");
      d.getXmlFragment("body").insert(0, [paragraph]);
      paragraph.insert(0, [new Y.XmlText("第一条")]);
    });
    for (const update of [atEnd, inMiddle]) expect(roots(server, update)).toEqual({ roots: ["probe"], unresolved: false });
    expect(roots(server, inBody)).toEqual({ roots: ["body"], unresolved: false });
    expect(mayTouchTerms(server, inMiddle)).toBe(false);
    expect(mayTouchTerms(server, inBody)).toBe(false);
  });

  it("an update the document already has changes nothing", () => {
    const server = serverDoc();
    expect(roots(server, Y.encodeStateAsUpdate(server))).toEqual({ roots: [], unresolved: false });
  });

  it("an update whose items lean on items the server does not have is unresolved", () => {
    const server = serverDoc();
    const replica = replicaOf(server);
    // The server never gets this first update…
    updateOf(replica, (d) => d.getText("probe").insert(0, "Missing. "));
    updateOf(replica, (d) => d.getMap("terms").set("penaltyCapFen", 5000));
    // …so a later overwrite of that term, and an insertion into that text, lean on unknown items.
    const overwrite = updateOf(replica, (d) => d.getMap("terms").set("penaltyCapFen", 1));
    const otherClient = replicaOf(replica);
    const textAfterGap = updateOf(otherClient, (d) => d.getText("probe").insert(3, "x"));
    expect(roots(server, overwrite)).toEqual({ roots: [], unresolved: true });
    expect(touchedRoots(server, textAfterGap).unresolved).toBe(true);
    expect(mayTouchTerms(server, overwrite)).toBe(true);
    // A deletion of items the server does not have stays pending in Yjs: unresolved too.
    const deleteUnknown = updateOf(replica, (d) => d.getMap("terms").delete("penaltyCapFen"));
    expect(roots(server, deleteUnknown)).toEqual({ roots: [], unresolved: true });
  });

  it("once the document holds pending structs, every update is unresolved (it may complete them)", () => {
    const server = serverDoc();
    const replica = replicaOf(server);
    const other = replicaOf(server);
    updateOf(replica, (d) => d.getText("probe").insert(0, "Missing. "));
    Y.applyUpdate(server, updateOf(replica, (d) => d.getMap("terms").set("pieceRateBaseFen", 1)));
    expect(server.store.pendingStructs).not.toBeNull();
    const textOnly = updateOf(other, (d) => d.getText("probe").insert(0, "x"));
    expect([...touchedRoots(server, textOnly).roots]).toEqual(["probe"]);
    expect(touchedRoots(server, textOnly).unresolved).toBe(true);
  });
});

describe("TermsShadow", () => {
  /** The server's document with plain JSON terms only (what the form writes). */
  const plainDoc = () => {
    const doc = serverDoc();
    doc.getMap("terms").set("allocation", { medianEstimate: true, dispatchRadiusMetres: 3000, maxConcurrentOrders: 3 });
    return doc;
  };

  it("refuses a nested Y type as a term's value, whatever its content", () => {
    const server = serverDoc();
    const shadow = new TermsShadow(Y.encodeStateAsUpdate(server));
    expect(shadow.invalidTerm()).toBe("allocation");
    shadow.destroy();
  });

  it("tries terms updates on the shadow and names the first invalid term", () => {
    const server = plainDoc();
    const shadow = new TermsShadow(Y.encodeStateAsUpdate(server));
    const replica = replicaOf(server);
    expect(shadow.admit(updateOf(replica, (d) => d.getMap("terms").set("pieceRateBaseFen", 700)))).toBeNull();
    expect(shadow.admit(updateOf(replica, (d) => d.getMap("terms").set("allocation", { medianEstimate: true, dispatchRadiusMetres: 3000, maxConcurrentOrders: 99 })))).toBe("allocation");
    shadow.rebuild(Y.encodeStateAsUpdate(server));
    expect(shadow.invalidTerm()).toBeNull();
    // A text edit is applied without a check: even terms already invalid do not refuse it.
    const invalidServer = plainDoc();
    const invalidShadow = new TermsShadow(Y.encodeStateAsUpdate(invalidServer));
    expect(invalidShadow.change((d) => d.getMap("terms").set("holidayMultiplierBp", 1))).not.toBeNull();
    expect(invalidShadow.invalidTerm()).toBe("holidayMultiplierBp");
    expect(invalidShadow.admit(updateOf(replicaOf(invalidServer), (d) => d.getText("probe").insert(0, "x")))).toBeNull();
    shadow.destroy();
    invalidShadow.destroy();
  });

  it("a change made on the shadow is one update that brings a copy of the document to the same state", () => {
    const server = plainDoc();
    const shadow = new TermsShadow(Y.encodeStateAsUpdate(server));
    expect(shadow.change(() => undefined)).toBeNull();
    const update = shadow.change((d) => d.getMap("terms").set("pieceRateBaseFen", 720))!;
    Y.applyUpdate(server, update);
    expect(server.getMap("terms").get("pieceRateBaseFen")).toBe(720);
    expect(shadow.invalidTerm()).toBeNull();
    shadow.destroy();
  });

  it("firstInvalidTerm names the term at fault: an unknown key of the map, or the term holding the fault", () => {
    expect(firstInvalidTerm({ pieceRateBaseFen: 1, surprise: 2 })).toBe("surprise");
    expect(firstInvalidTerm({ pieceRateBaseFen: -1 })).toBe("pieceRateBaseFen");
    expect(firstInvalidTerm({ allocation: { medianEstimate: true, dispatchRadiusMetres: 1, maxConcurrentOrders: 1, surprise: 1 } })).toBe("allocation");
    expect(firstInvalidTerm({})).toBeNull();
  });
});
