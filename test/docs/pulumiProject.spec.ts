import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { parse } from "yaml";

// How Pulumi starts the program: @pulumi/pulumi 3.248.0 cmd/run/run.js registers ts-node with the
// project PULUMI_NODEJS_TSCONFIG_PATH names (the language host sets it from Pulumi.yaml's
// `runtime.options.tsconfig`: pulumi v3.248.0 sdk/nodejs/cmd/pulumi-language-nodejs/main.go), and
// with `transpileOnly` set to that file's own `compilerOptions.noCheck`, read by tsutils.js
// loadTypeScriptCompilerOptions. Without it, every `pulumi up` type-checks the program again.

const root = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsutils = require("@pulumi/pulumi/tsutils") as { loadTypeScriptCompilerOptions(file: string): Record<string, unknown> };

/** A tsconfig as TypeScript resolves it, `extends` included. */
function resolved(file: string): ts.CompilerOptions {
    const { config, error } = ts.parseConfigFileTextToJson(file, read(file));
    assert.equal(error, undefined);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, path.join(root, file));
    assert.deepEqual(parsed.errors, []);
    return parsed.options;
}

describe("the Pulumi project (Pulumi.yaml)", () => {
    const project = parse(read("Pulumi.yaml")) as { runtime: { name: string; options: Record<string, unknown> } };

    it("runs the program through ts-node with tsconfig.pulumi.json", () => {
        assert.equal(project.runtime.name, "nodejs");
        assert.equal(project.runtime.options.typescript, true);
        assert.equal(project.runtime.options.tsconfig, "tsconfig.pulumi.json");
    });

    it("which Pulumi reads as transpile-only", () => {
        const tsconfig = project.runtime.options.tsconfig as string;
        assert.equal(tsutils.loadTypeScriptCompilerOptions(path.join(root, tsconfig)).noCheck, true);
    });

    it("and which compiles as tsconfig.json does, type-checking aside", () => {
        const pulumi = resolved("tsconfig.pulumi.json");
        const build = resolved("tsconfig.json");
        assert.equal(pulumi.noCheck, true);
        assert.deepEqual({ ...pulumi, noCheck: undefined, configFilePath: undefined }, { ...build, noCheck: undefined, configFilePath: undefined });
    });

    it("while the type check uses tsconfig.json, in the build and in CI", () => {
        assert.equal(resolved("tsconfig.json").noCheck, undefined);
        const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
        assert.equal(scripts.build, "tsc --noEmit -p .");
        assert.match(read(".ci/run"), /^npx tsc --noEmit -p \.$/m);
    });
});
