/**
 * The OData-like `filter` and `orderby` query syntax of the v22 list endpoints (V22-ABOUT shows it
 * on CDRs only; which provider fields take part is undocumented, Q-B5). Anything outside the
 * grammar below is refused, so a client that builds a malformed filter finds out in tests:
 *
 *   expr    := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" expr ")" | func "(" field "," literal ")" | field op literal
 *   op      := eq | ne | gt | ge | lt | le
 *   func    := contains | startswith | endswith        (case-sensitive, as in OData)
 *   literal := 'text' ('' escapes a quote) | integer | true | false | null
 *
 *   orderby := field [asc|desc] ("," field [asc|desc])*
 */

export type FieldType = "string" | "number" | "boolean";
export type Row = Record<string, string | number | boolean | null>;
export type Predicate = (row: Row) => boolean;
export type Comparator = (a: Row, b: Row) => number;

type Literal = string | number | boolean | null;
type Token =
    { kind: "word"; text: string } | { kind: "literal"; value: Literal } | { kind: "punct"; text: "(" | ")" | "," };

export class ODataError extends Error {}

const OPERATORS = ["eq", "ne", "gt", "ge", "lt", "le"] as const;
type Operator = (typeof OPERATORS)[number];
const FUNCTIONS = ["contains", "startswith", "endswith"] as const;
type StringFunction = (typeof FUNCTIONS)[number];

function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < text.length) {
        const ch = text.charAt(i);
        if (/\s/.test(ch)) {
            i += 1;
        } else if (ch === "(" || ch === ")" || ch === ",") {
            tokens.push({ kind: "punct", text: ch });
            i += 1;
        } else if (ch === "'") {
            let value = "";
            i += 1;
            for (;;) {
                if (i >= text.length) throw new ODataError("unterminated string literal");
                const c = text.charAt(i);
                if (c === "'") {
                    if (text.charAt(i + 1) === "'") {
                        value += "'";
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                value += c;
                i += 1;
            }
            tokens.push({ kind: "literal", value });
        } else {
            const match = /^-?[0-9]+|^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
            if (match === null) throw new ODataError(`unexpected character '${ch}'`);
            const word = match[0];
            i += word.length;
            if (/^-?[0-9]/.test(word)) tokens.push({ kind: "literal", value: Number(word) });
            else if (word === "true" || word === "false") tokens.push({ kind: "literal", value: word === "true" });
            else if (word === "null") tokens.push({ kind: "literal", value: null });
            else tokens.push({ kind: "word", text: word });
        }
    }
    return tokens;
}

export function compileFilter(text: string, fields: Readonly<Record<string, FieldType>>): Predicate {
    const tokens = tokenize(text);
    let pos = 0;
    const peekWord = (): string | undefined => {
        const token = tokens[pos];
        return token?.kind === "word" ? token.text : undefined;
    };
    const expectPunct = (punct: "(" | ")" | ","): void => {
        const token = tokens[pos];
        if (token?.kind !== "punct" || token.text !== punct) throw new ODataError(`expected '${punct}'`);
        pos += 1;
    };
    const field = (): string => {
        const name = peekWord();
        if (name === undefined || fields[name] === undefined) {
            throw new ODataError(`unknown or unfilterable field '${name ?? "?"}'`);
        }
        pos += 1;
        return name;
    };
    const literal = (): Literal => {
        const token = tokens[pos];
        if (token?.kind !== "literal") throw new ODataError("expected a literal");
        pos += 1;
        return token.value;
    };

    const unary = (): Predicate => {
        const word = peekWord();
        if (word === "not") {
            pos += 1;
            const inner = unary();
            return (row) => !inner(row);
        }
        const token = tokens[pos];
        if (token?.kind === "punct" && token.text === "(") {
            pos += 1;
            const inner = or();
            expectPunct(")");
            return inner;
        }
        if (word !== undefined && (FUNCTIONS as readonly string[]).includes(word)) {
            pos += 1;
            expectPunct("(");
            const name = field();
            expectPunct(",");
            const value = literal();
            expectPunct(")");
            if (fields[name] !== "string" || typeof value !== "string") {
                throw new ODataError(`${word} needs a text field and a text literal`);
            }
            return stringFunction(word as StringFunction, name, value);
        }
        const name = field();
        const op = peekWord();
        if (op === undefined || !(OPERATORS as readonly string[]).includes(op)) {
            throw new ODataError(`expected an operator after '${name}'`);
        }
        pos += 1;
        const value = literal();
        const type = fields[name];
        if (value !== null && typeof value !== type) throw new ODataError(`'${name}' is compared with a ${type}`);
        if (value === null && op !== "eq" && op !== "ne") throw new ODataError("null compares only with eq/ne");
        return comparison(op as Operator, name, value);
    };
    const and = (): Predicate => {
        let left = unary();
        while (peekWord() === "and") {
            pos += 1;
            const l = left;
            const right = unary();
            left = (row) => l(row) && right(row);
        }
        return left;
    };
    const or = (): Predicate => {
        let left = and();
        while (peekWord() === "or") {
            pos += 1;
            const l = left;
            const right = and();
            left = (row) => l(row) || right(row);
        }
        return left;
    };

    if (tokens.length === 0) throw new ODataError("empty filter");
    const predicate = or();
    if (pos !== tokens.length) throw new ODataError("unexpected text after the filter");
    return predicate;
}

function stringFunction(fn: StringFunction, name: string, value: string): Predicate {
    return (row) => {
        const actual = row[name];
        if (typeof actual !== "string") return false;
        switch (fn) {
            case "contains":
                return actual.includes(value);
            case "startswith":
                return actual.startsWith(value);
            case "endswith":
                return actual.endsWith(value);
        }
    };
}

function comparison(op: Operator, name: string, value: Literal): Predicate {
    return (row) => {
        const actual = row[name] ?? null;
        switch (op) {
            case "eq":
                return actual === value;
            case "ne":
                return actual !== value;
            case "gt":
                return actual !== null && value !== null && compareValues(actual, value) > 0;
            case "ge":
                return actual !== null && value !== null && compareValues(actual, value) >= 0;
            case "lt":
                return actual !== null && value !== null && compareValues(actual, value) < 0;
            case "le":
                return actual !== null && value !== null && compareValues(actual, value) <= 0;
        }
    };
}

function compareValues(a: string | number | boolean, b: string | number | boolean): number {
    if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
    return Number(a) - Number(b);
}

export function compileOrderBy(text: string, fields: Readonly<Record<string, FieldType>>): Comparator {
    const keys = text.split(",").map((part) => {
        const words = part.trim().split(/\s+/);
        const [name, direction = "asc", ...rest] = words;
        if (name === undefined || fields[name] === undefined || rest.length > 0) {
            throw new ODataError(`cannot order by '${part.trim()}'`);
        }
        if (direction !== "asc" && direction !== "desc") throw new ODataError(`unknown direction '${direction}'`);
        return { name, sign: direction === "asc" ? 1 : -1 };
    });
    return (a, b) => {
        for (const { name, sign } of keys) {
            const x = a[name] ?? null;
            const y = b[name] ?? null;
            // Blank values sort first in ascending order.
            const order = x === y ? 0 : x === null ? -1 : y === null ? 1 : compareValues(x, y);
            if (order !== 0) return order * sign;
        }
        return 0;
    };
}
