import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { E2EEnvironment, pulumiCliPrefix, REPO_ROOT } from "./harness";

/**
 * The real CLI loads every Pulumi.yaml in the repository. README promises `pulumi up` in the
 * repository root; a project file the CLI refuses (a typed config key outside the project's
 * namespace, say) fails before any program runs, so this needs no language host: `stack init`
 * and `config` load and validate the project and its config declarations.
 */

function projectFiles(dir: string): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "node_modules" || entry.name.startsWith(".") || entry.name === "dist") continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) found.push(...projectFiles(full));
        else if (entry.name === "Pulumi.yaml") found.push(full);
    }
    return found;
}

const env = new E2EEnvironment("project-files");
afterAll(() => {
    env.cleanup();
});

function pulumi(cwd: string, args: string[]): string {
    return execFileSync(path.join(pulumiCliPrefix(), "bin", "pulumi"), args, {
        cwd,
        env: { ...process.env, ...env.envVars() },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
}

const files = projectFiles(REPO_ROOT);

it("finds the project files (at least the root one)", () => {
    expect(files).toContain(path.join(REPO_ROOT, "Pulumi.yaml"));
});

describe.each(files.map((file) => [path.relative(REPO_ROOT, file), file]))("%s", (_label, file) => {
    it("is accepted by the real CLI: a stack initialises and its config resolves", () => {
        const copy = fs.mkdtempSync(path.join(env.root, "project-"));
        fs.copyFileSync(file, path.join(copy, "Pulumi.yaml"));
        pulumi(copy, ["stack", "init", "check", "--non-interactive"]);
        const config = JSON.parse(pulumi(copy, ["config", "--json"])) as Record<string, { value?: unknown }>;
        // Every declared default is visible, in the project's own namespace.
        const declared = fs.readFileSync(file, "utf8");
        const project = /^name:\s*(\S+)/m.exec(declared)?.[1] ?? "";
        for (const match of declared.matchAll(/^ {4}(\w+):\n(?: {8}.*\n)*? {8}default:\s*(\S+)/gm)) {
            expect(config[`${project}:${match[1] ?? ""}`]?.value).toBe(match[2]);
        }
    });
});
