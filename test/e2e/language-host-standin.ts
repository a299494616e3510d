import * as fs from "node:fs";
import * as path from "node:path";

/**
 * `pulumi import` loads the project's language plugin (`pulumi-language-nodejs`) even with
 * `--generate-code=false`, although it runs no program. Every Pulumi installation ships that
 * plugin; this machine cannot build it (the Go module proxy refuses the Node language host), and
 * the Automation API's inline programs do not help: `Stack.import` runs the CLI without
 * `--client`.
 *
 * So the import tests give the real CLI a stand-in on PATH that answers only what an import asks
 * of a language plugin: its version and its required packages (none: the dynamic-provider plugin
 * ships with the CLI). Any other call fails loudly, so a CLI that starts to need more shows up as
 * an error, never as a silent pass. Everything else in those tests (engine, file backend, secrets,
 * the dynamic-provider plugin) is real.
 */

const STANDIN_SOURCE = `"use strict";
const grpc = require(process.env.STANDIN_GRPC);
const services = require(process.env.STANDIN_PROTO + "/language_grpc_pb");
const messages = require(process.env.STANDIN_PROTO + "/language_pb");
const plugin = require(process.env.STANDIN_PROTO + "/plugin_pb");
const empty = require(process.env.STANDIN_EMPTY);
const answers = {
    getPluginInfo: () => new plugin.PluginInfo().setVersion(process.env.STANDIN_VERSION),
    getRequiredPackages: () => new messages.GetRequiredPackagesResponse(),
    getRequiredPlugins: () => new messages.GetRequiredPluginsResponse(),
};
const implementation = {};
for (const [name, method] of Object.entries(services.LanguageRuntimeService)) {
    implementation[name] = (call, callback) => {
        if (answers[name] !== undefined) return callback(null, answers[name]());
        if (name === "cancel") return callback(null, new empty.Empty());
        const error = { code: grpc.status.UNIMPLEMENTED, message: "the test stand-in language host does not implement " + name };
        if (method.responseStream) return call.destroy(Object.assign(new Error(error.message), error));
        callback(error);
    };
}
const server = new grpc.Server();
server.addService(services.LanguageRuntimeService, implementation);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
        process.stderr.write(String(error) + "\\n");
        process.exit(1);
    }
    process.stdout.write(port + "\\n");
});
`;

/**
 * Writes the stand-in into `dir/bin` and returns that directory and the environment it needs;
 * put the directory first on the CLI's PATH.
 */
export function installLanguageHostStandin(dir: string): { binDir: string; env: Record<string, string> } {
    const binDir = path.join(dir, "bin");
    fs.mkdirSync(binDir, { recursive: true });
    const script = path.join(dir, "language-host-standin.js");
    fs.writeFileSync(script, STANDIN_SOURCE);
    const executable = path.join(binDir, "pulumi-language-nodejs");
    fs.writeFileSync(executable, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`, { mode: 0o755 });
    const pulumiPackage = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const fromPulumi = (request: string): string => require.resolve(request, { paths: [pulumiPackage] });
    return {
        binDir,
        env: {
            STANDIN_GRPC: fromPulumi("@grpc/grpc-js"),
            STANDIN_PROTO: path.join(pulumiPackage, "proto"),
            STANDIN_EMPTY: fromPulumi("google-protobuf/google/protobuf/empty_pb"),
            STANDIN_VERSION: (
                JSON.parse(fs.readFileSync(path.join(pulumiPackage, "package.json"), "utf8")) as {
                    version: string;
                }
            ).version,
        },
    };
}
