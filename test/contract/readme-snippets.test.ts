import * as fs from "node:fs";
import * as path from "node:path";
import { splitToken } from "../../provider/core/resource-class";
import { DEFINITIONS } from "../../provider/runtime";
import { describeProblems, REPO_ROOT, typeCheck } from "./typecheck";

/**
 * Every ```typescript block of README.md compiles as pasted: each on its own, as the index.ts of a
 * project made by `pulumi new typescript`, against this checkout's public types.
 */

export interface Snippet {
    /** Line of README.md the code starts on. */
    line: number;
    code: string;
}

export function typescriptSnippets(markdown: string): Snippet[] {
    const snippets: Snippet[] = [];
    const lines = markdown.split("\n");
    let open: Snippet | undefined;
    lines.forEach((text, index) => {
        if (open === undefined) {
            if (/^```(typescript|ts)\s*$/.test(text)) open = { line: index + 2, code: "" };
        } else if (/^```\s*$/.test(text)) {
            snippets.push(open);
            open = undefined;
        } else {
            open.code += `${text}\n`;
        }
    });
    if (open !== undefined) throw new Error(`README.md: the code block opened at line ${open.line - 1} is not closed`);
    return snippets;
}

/**
 * Problems of the snippets of each document, as `<document>:<line>: message` with the document's
 * own line numbers. One compilation serves every document (the typings are read once).
 */
export function snippetProblems(documents: Record<string, readonly Snippet[]>): Record<string, string[]> {
    // A virtual file per snippet in a directory of the checkout, so `@pulumi/pulumi` resolves from
    // its node_modules as it does from a project's.
    const files = new Map<string, { document: string; snippet: Snippet }>();
    for (const [document, snippets] of Object.entries(documents)) {
        for (const snippet of snippets) {
            files.set(path.join(REPO_ROOT, `${document}.snippet-${snippet.line}.ts`), { document, snippet });
        }
    }
    const problems = typeCheck(Object.fromEntries([...files].map(([file, { snippet }]) => [file, snippet.code])));
    const result: Record<string, string[]> = Object.fromEntries(Object.keys(documents).map((name) => [name, []]));
    for (const problem of problems) {
        const found = files.get(problem.file);
        const where = found?.document ?? "(elsewhere)";
        (result[where] ??= []).push(
            found === undefined
                ? (describeProblems([problem])[0] ?? problem.message)
                : `${found.document}:${found.snippet.line + problem.line - 1}: ${problem.message}`,
        );
    }
    return result;
}

const BROKEN = [
    "# Title",
    "",
    "```typescript",
    'import { voicetel } from "pulumi-voip";',
    'new voicetel.AccountGateway("ok", { host: "45.33.10.7" });',
    "```",
    "",
    "```bash",
    "echo not typescript",
    "```",
    "",
    "```typescript",
    'import { voicetel } from "pulumi-voip";',
    'new voicetel.AccountGateway("bad", { host: 5060 });',
    "```",
    "",
    "```typescript",
    'import { portsip } from "pulumi-voip";',
    'new portsip.Trunk("t", { hostname: "h.example.com", password: config.requireSecret("p") });',
    "```",
].join("\n");

const readme = typescriptSnippets(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));
const broken = typescriptSnippets(BROKEN);
let problems: Record<string, string[]> = {};
beforeAll(() => {
    problems = snippetProblems({ "README.md": readme, "BROKEN.md": broken });
});

describe("README.md", () => {
    it("has TypeScript snippets (at least one per resource)", () => {
        const code = readme.map((snippet) => snippet.code).join("\n");
        for (const { token } of DEFINITIONS) {
            const { namespace, typeName } = splitToken(token);
            expect(code).toContain(`new ${namespace}.${typeName}(`);
        }
    });

    it("every TypeScript snippet compiles on its own, as pasted", () => {
        expect(problems).toEqual({ "README.md": [], "BROKEN.md": expect.any(Array) as unknown });
    });
});

describe("the snippet checker", () => {
    it("extracts only the typescript blocks, with the line each starts on", () => {
        expect(broken.map((snippet) => snippet.line)).toEqual([4, 13, 18]);
    });

    it("fails a wrong type and an undeclared name, on the line they are on", () => {
        expect(problems["BROKEN.md"]).toEqual([
            expect.stringMatching(/^BROKEN\.md:14: Type 'number' is not assignable to type 'Input<string>/),
            "BROKEN.md:19: Cannot find name 'config'.",
        ]);
    });

    it("refuses a block that is never closed", () => {
        expect(() => typescriptSnippets("```typescript\nconst a = 1;\n")).toThrow(/line 1 is not closed/);
    });
});
