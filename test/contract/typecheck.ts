import * as path from "node:path";
import ts from "typescript";

/**
 * Type-checks TypeScript programs the way a user's Pulumi project does: the compiler options of
 * `pulumi new typescript`, with `pulumi-voip` resolved to this checkout's source instead of the
 * published package.
 */

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** `pulumi new typescript`'s tsconfig.json, less its output settings. */
export const PULUMI_NEW_OPTIONS: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    experimentalDecorators: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
    noEmit: true,
};

/** What a user's project compiles against: this checkout's package, by its published name. */
const THIS_PACKAGE: ts.CompilerOptions = {
    baseUrl: REPO_ROOT,
    paths: { "pulumi-voip": ["provider/index.ts"] },
    // Every file is a module of its own, as each program's index.ts is in its own project.
    moduleDetection: ts.ModuleDetectionKind.Force,
};

/**
 * zod is reached only through the package's implementation, compiled here in place of the
 * published declarations (which import no zod); its CommonJS typings need esModuleInterop, which
 * `pulumi new` projects do not set. Every other declaration file, `@pulumi/pulumi`'s included,
 * is checked as in a user's project (no skipLibCheck).
 */
const IMPLEMENTATION_ONLY = /[\\/]node_modules[\\/]zod[\\/]/;

export interface ProgramProblem {
    file: string;
    line: number;
    message: string;
}

/**
 * Compiles `files` (path -> source; a path not given is read from disk) and returns the problems
 * found in them and in the declarations they depend on.
 */
export function typeCheck(files: Record<string, string | undefined>): ProgramProblem[] {
    const options = { ...PULUMI_NEW_OPTIONS, ...THIS_PACKAGE };
    const host = ts.createCompilerHost(options, true);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    const inMemory = new Map(
        Object.entries(files).flatMap(([file, text]) => (text === undefined ? [] : [[path.resolve(file), text]])),
    );
    host.readFile = (file) => inMemory.get(path.resolve(file)) ?? readFile(file);
    host.fileExists = (file) => inMemory.has(path.resolve(file)) || fileExists(file);
    host.getSourceFile = (file, language, onError, create) => {
        const text = inMemory.get(path.resolve(file));
        return text === undefined
            ? getSourceFile(file, language, onError, create)
            : ts.createSourceFile(file, text, language, true);
    };
    const program = ts.createProgram(Object.keys(files), options, host);
    const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .filter((diagnostic) => diagnostic.file === undefined || !IMPLEMENTATION_ONLY.test(diagnostic.file.fileName));
    return diagnostics.map((diagnostic) => {
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
        if (diagnostic.file === undefined || diagnostic.start === undefined) return { file: "", line: 0, message };
        const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
        return { file: path.resolve(diagnostic.file.fileName), line: line + 1, message };
    });
}

/** One problem per line, `file:line: message`, for an assertion that shows them all. */
export function describeProblems(problems: readonly ProgramProblem[]): string[] {
    return problems.map(
        (problem) => `${path.relative(REPO_ROOT, problem.file) || "(options)"}:${problem.line}: ${problem.message}`,
    );
}
