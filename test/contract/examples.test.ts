import * as fs from "node:fs";
import * as path from "node:path";
import { describeProblems, REPO_ROOT, typeCheck } from "./typecheck";

/**
 * Every example under examples/ is a project of its own (Pulumi.yaml, package.json, tsconfig.json
 * as `pulumi new typescript` makes them) whose index.ts compiles against this checkout's package.
 * examples/demo is the exception: the root Pulumi.yaml runs it, with the root package.json.
 */

const EXAMPLES = path.join(REPO_ROOT, "examples");
const RUN_BY_THE_ROOT_PROJECT = "demo";

const examples = fs
    .readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

// A program that must fail, compiled with the examples: proves the check can fail.
const BROKEN = path.join(EXAMPLES, "broken-on-purpose.snippet.ts");
const BROKEN_SOURCE = [
    'import { voicetel } from "pulumi-voip";',
    'new voicetel.AccountGateway("x", { port: 5060 });',
].join("\n");

let problems: string[] = [];
beforeAll(() => {
    const programs = Object.fromEntries(
        examples.map((name) => [path.join(EXAMPLES, name, "index.ts"), undefined] as [string, string | undefined]),
    );
    problems = describeProblems(typeCheck({ ...programs, [BROKEN]: BROKEN_SOURCE }));
});

it("there are examples, one per resource at least", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
});

describe.each(examples)("examples/%s", (name) => {
    const dir = path.join(EXAMPLES, name);

    it("index.ts type-checks against this checkout's package", () => {
        expect(problems.filter((problem) => problem.startsWith(`examples/${name}/`))).toEqual([]);
    });

    if (name === RUN_BY_THE_ROOT_PROJECT) return;

    it("is a project of its own: Pulumi.yaml, package.json, tsconfig.json", () => {
        const project = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
        expect(project).toMatch(/^name: \S+$/m);
        expect(project).toMatch(/^description: \S.*$/m);
        expect(project).toMatch(/^runtime:\n {4}name: nodejs$/m);

        const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
            dependencies?: Record<string, string>;
            devDependencies?: Record<string, string>;
        };
        expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(["@pulumi/pulumi", "pulumi-voip"]);
        expect(manifest.devDependencies?.["typescript"]).toBe("~5.9");

        const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8")) as {
            compilerOptions?: Record<string, unknown>;
            files?: string[];
        };
        expect(tsconfig.compilerOptions).toMatchObject({ strict: true, module: "commonjs" });
        expect(tsconfig.files).toEqual(["index.ts"]);
    });

    it("package.json asks for the versions this checkout is and works with", () => {
        const own = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
            version: string;
            peerDependencies: Record<string, string>;
        };
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        expect(manifest.dependencies["pulumi-voip"]).toBe(`^${own.version}`);
        // The peer range's floor, as a caret range.
        const floor = /^>=(\S+)/.exec(own.peerDependencies["@pulumi/pulumi"] ?? "")?.[1];
        expect(manifest.dependencies["@pulumi/pulumi"]).toBe(`^${floor ?? "?"}`);
    });
});

it("the check fails a program that does not compile", () => {
    expect(problems.filter((problem) => problem.startsWith("examples/broken-on-purpose"))).toEqual([
        expect.stringMatching(
            /^examples\/broken-on-purpose\.snippet\.ts:2: [\s\S]*Property 'host' is missing/,
        ) as unknown,
    ]);
});

it("nothing else fails to compile", () => {
    expect(problems.filter((problem) => !problem.startsWith("examples/"))).toEqual([]);
});
