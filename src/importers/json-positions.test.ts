import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonSyntaxError, parseJson } from "./json-positions.js";

describe("parseJson", () => {
  it("gives what JSON.parse gives, for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        // JSON.parse drops "-0" to 0 through stringify already; compare the round trips.
        expect(parseJson(text).value).toEqual(JSON.parse(text));
      }),
    );
  });

  it("records where every object and array starts", () => {
    const text = '{\n  "a": [1, {"b": 2}],\n  "c": {}\n}';
    const { value, starts } = parseJson(text);
    const v = value as { a: [number, object]; c: object };
    expect(starts.get(v)).toBe(0);
    expect(starts.get(v.a)).toBe(text.indexOf("["));
    expect(starts.get(v.a[1])).toBe(text.indexOf('{"b"'));
    expect(starts.get(v.c)).toBe(text.lastIndexOf("{}"));
  });

  it("rejects a duplicate key, which JSON.parse would keep silently, at the second key", () => {
    const text = '{"a": 1, "a": 2}';
    expect(() => parseJson(text)).toThrow(JsonSyntaxError);
    try {
      parseJson(text);
    } catch (e) {
      expect((e as JsonSyntaxError).offset).toBe(9);
      expect((e as JsonSyntaxError).message).toBe("the key 'a' appears twice in one object");
    }
  });

  it("keeps __proto__ an ordinary key", () => {
    const { value } = parseJson('{"__proto__": {"polluted": true}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(["__proto__"]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it.each([
    ['{"a": 1,}', 8, "unexpected '}': expected a key in quotes"],
    ["[1 2]", 3, "unexpected '2': expected ',' or ']'"],
    ['{"a": tru}', 6, "unexpected 't': expected a value"],
    ['{"a": "x', 6, "a string is not closed"],
    ["[01]", 1, "'01' is not a JSON number"],
    ["{} {}", 3, "unexpected '{' after the end of the JSON value"],
  ])("locates the error in %s", (text, offset, message) => {
    try {
      parseJson(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonSyntaxError);
      expect([(e as JsonSyntaxError).offset, (e as JsonSyntaxError).message]).toEqual([
        offset,
        message,
      ]);
    }
  });
});
