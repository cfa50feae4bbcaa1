/**
 * A GraphBinary request writer for the `gremlin` driver (its `writer` option), byte for byte the
 * driver's own output, written into one growing buffer. The driver builds a Buffer per value and
 * concatenates them at every level of nesting (a build's request holds ~1000 row maps of ~10
 * strings each, so each byte is copied four or five times and every value leaves garbage): about
 * half of a graph build's client CPU went to that and to collecting it. Here the common types of
 * a traversal (strings, 32-bit ints, lists, maps, plain objects, bytecode, nested traversals, enum
 * constants) are written in place; anything else is written by the driver's own serializer, so
 * the output never depends on this module knowing every type.
 *
 * `prepare` encodes a traversal's bytecode ahead of its request, so that a writer of batches can
 * encode the next batch while the server works on the current one.
 */
import { createRequire } from "node:module";
import gremlin from "gremlin";

/** The parts of the driver's GraphBinary module used here (it ships no typings for it). */
interface DriverSerializer {
  serialize(value: unknown, fullyQualifiedFormat?: boolean): Uint8Array;
}
interface DriverGraphBinary {
  anySerializer: DriverSerializer;
  uuidSerializer: DriverSerializer;
  graphBinaryWriter: { writeRequest(request: GremlinRequest): Uint8Array };
}

const require = createRequire(import.meta.url);
const driverGraphBinary = require("gremlin/lib/structure/io/binary/GraphBinary.js") as DriverGraphBinary;

/** The request the driver's Connection hands its writer. */
export interface GremlinRequest {
  requestId: string;
  op: string;
  processor: string | undefined;
  args: Record<string, unknown>;
}

/** The driver's Bytecode (its typings omit the instruction lists). */
interface Instructions {
  sourceInstructions: unknown[][];
  stepInstructions: unknown[][];
}

const { Bytecode, Traversal, EnumValue } = gremlin.process;

const VERSION = 0x81;
const INT = 0x01;
const STRING = 0x03;
const LIST = 0x09;
const MAP = 0x0a;
const BYTECODE = 0x15;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
/** Strings up to this length are copied byte by byte when ASCII (see bareString). */
const SHORT_STRING = 64;

/** The driver's own writer: the reference this one must match (tests compare the two). */
export const driverRequestWriter = driverGraphBinary.graphBinaryWriter;

export class GraphBinaryRequestWriter {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private position = 0;
  /** Bytecode encoded ahead of its request (fully qualified), used once. */
  private readonly prepared = new WeakMap<object, Buffer>();
  /** Enum constants are singletons of the driver: each is encoded once. */
  private readonly constants = new WeakMap<object, Uint8Array>();

  /** The request as the driver's GraphBinaryWriter would write it. */
  writeRequest(request: GremlinRequest): Buffer {
    return this.encode(() => {
      this.byte(VERSION);
      this.bytes(driverGraphBinary.uuidSerializer.serialize(request.requestId, false));
      this.bareString(request.op);
      this.bareString(request.processor);
      this.bareMap(request.args);
    });
  }

  /** Encodes `traversal`'s bytecode now; its request (the next one to carry it) reuses the bytes. */
  prepare(traversal: gremlin.process.Traversal): void {
    const bytecode = traversal.getBytecode();
    this.prepared.set(
      bytecode,
      this.encode(() => {
        this.byte(BYTECODE);
        this.byte(0);
        this.bytecode(bytecode as unknown as Instructions);
      }),
    );
  }

  private encode(write: () => void): Buffer {
    this.position = 0;
    write();
    // a copy: the working buffer is reused by the next request
    return Buffer.from(this.buffer.subarray(0, this.position));
  }

  private ensure(more: number): void {
    if (this.position + more <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.position + more) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  private byte(value: number): void {
    this.ensure(1);
    this.buffer[this.position++] = value;
  }

  private int(value: number): void {
    this.ensure(4);
    this.buffer.writeInt32BE(value, this.position);
    this.position += 4;
  }

  private bytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.position);
    this.position += bytes.length;
  }

  /** A string without its type code: length, then UTF-8 (the driver writes `String(value)`). */
  private bareString(value: unknown): void {
    const text = String(value);
    // at most 3 UTF-8 bytes per UTF-16 unit
    this.ensure(4 + text.length * 3);
    if (text.length <= SHORT_STRING) {
      // keys, ids, labels: copying ASCII here beats Buffer.write's per-call cost
      const buffer = this.buffer;
      const start = this.position + 4;
      let i = 0;
      for (; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[start + i] = code;
      }
      if (i === text.length) {
        buffer.writeInt32BE(i, this.position);
        this.position = start + i;
        return;
      }
    }
    const written = this.buffer.write(text, this.position + 4, "utf8");
    this.buffer.writeInt32BE(written, this.position);
    this.position += 4 + written;
  }

  private bareMap(map: Map<unknown, unknown> | Record<string, unknown>): void {
    if (map instanceof Map) {
      this.int(map.size);
      for (const [key, value] of map) {
        this.any(key);
        this.any(value);
      }
      return;
    }
    const keys = Object.keys(map);
    this.int(keys.length);
    for (const key of keys) {
      this.any(key);
      this.any(map[key]);
    }
  }

  private bytecode(bytecode: Instructions): void {
    for (const list of [bytecode.stepInstructions, bytecode.sourceInstructions]) {
      this.int(list.length);
      for (const instruction of list) {
        this.bareString(instruction[0]);
        this.int(instruction.length - 1);
        for (let i = 1; i < instruction.length; i++) this.any(instruction[i]);
      }
    }
  }

  /** A fully qualified value: type code, value flag, value. The order of checks is the driver's. */
  private any(value: unknown): void {
    switch (typeof value) {
      case "string":
        this.byte(STRING);
        this.byte(0);
        this.bareString(value);
        return;
      case "number":
        if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) {
          this.byte(INT);
          this.byte(0);
          this.int(value);
          return;
        }
        break;
      case "object": {
        if (value === null) break;
        if (value instanceof Bytecode || value instanceof Traversal) {
          const bytecode = value instanceof Traversal ? value.getBytecode() : value;
          const prepared = this.prepared.get(bytecode);
          if (prepared !== undefined) {
            this.prepared.delete(bytecode);
            this.bytes(prepared);
            return;
          }
          this.byte(BYTECODE);
          this.byte(0);
          this.bytecode(bytecode as unknown as Instructions);
          return;
        }
        if (value instanceof EnumValue) {
          let encoded = this.constants.get(value);
          if (encoded === undefined) {
            encoded = driverGraphBinary.anySerializer.serialize(value, true);
            this.constants.set(value, encoded);
          }
          this.bytes(encoded);
          return;
        }
        if (Array.isArray(value)) {
          this.byte(LIST);
          this.byte(0);
          this.int(value.length);
          for (const item of value) this.any(item);
          return;
        }
        const prototype = Object.getPrototypeOf(value) as unknown;
        if (value instanceof Map || prototype === Object.prototype || prototype === null) {
          this.byte(MAP);
          this.byte(0);
          this.bareMap(value as Map<unknown, unknown> | Record<string, unknown>);
          return;
        }
        break;
      }
    }
    // the rest (null, longs, doubles, booleans, dates, predicates, …): the driver's serializer
    this.bytes(driverGraphBinary.anySerializer.serialize(value, true));
  }
}
