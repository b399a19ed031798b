// The PR workflow and CI script are code too: these checks keep them from silently rotting.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const root = path.join(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}

describe("the pull request workflow (.github/workflows/preview.yml)", () => {
    const text = read(".github/workflows/preview.yml");
    const workflow = parse(text);
    const steps: Step[] = workflow.jobs.preview.steps;
    const index = (match: (s: Step) => boolean, what: string) => {
        const i = steps.findIndex(match);
        assert.ok(i >= 0, `no step ${what}`);
        return i;
    };
    const running = (command: string) => (s: Step) => (s.run ?? "").split("\n").some((line) => line.trim().startsWith(command));

    it("runs on pull requests and may comment on them", () => {
        assert.ok("pull_request" in workflow.on);
        assert.equal(workflow.permissions["pull-requests"], "write");
        assert.equal(workflow.permissions.contents, "read");
    });

    it("installs Node 20 and the dependencies from the lockfiles, the policy pack's included", () => {
        const node = steps[index((s) => s.uses?.startsWith("actions/setup-node@") ?? false, "setup-node")];
        assert.equal(node.with?.["node-version"], 20);
        assert.equal(node.with?.cache, "npm");
        assert.match(String(node.with?.["cache-dependency-path"]), /^policy\/package-lock\.json$/m);
        index(running("npm ci"), "npm ci");
        assert.equal(JSON.parse(read("package.json")).scripts.postinstall, "npm ci --prefix policy --no-audit --no-fund");
    });

    it("lints, type-checks and tests before it previews", () => {
        const checkout = index((s) => s.uses?.startsWith("actions/checkout@") ?? false, "checkout");
        const install = index(running("npm ci"), "npm ci");
        const lint = index(running("npm run lint"), "lint");
        const types = index(running("npx tsc --noEmit -p ."), "tsc");
        const tests = index(running("npm test"), "npm test");
        const preview = index((s) => s.uses === "pulumi/actions@v6", "pulumi/actions@v6");
        assert.deepEqual([checkout, install, lint, types, tests, preview], [checkout, install, lint, types, tests, preview].sort((a, b) => a - b));
    });

    it("previews the stack from the settings with the policy pack and comments the diff on the PR", () => {
        const preview = steps.find((s) => s.uses === "pulumi/actions@v6")!;
        assert.equal(preview.with?.command, "preview");
        assert.equal(preview.with?.["stack-name"], "${{ vars.PULUMI_STACK }}");
        assert.equal(preview.with?.["comment-on-pr"], true);
        const packs = String(preview.with?.policyPacks).split("\n").filter((p) => p !== "");
        assert.deepEqual(packs, ["policy"]);
        assert.ok(fs.existsSync(path.join(root, packs[0], "PulumiPolicy.yaml")), "policyPacks names the pack's directory");
    });

    it("gives the preview its tokens and a kubeconfig, the provider's GitHub token distinct from the workflow's", () => {
        const preview = steps.find((s) => s.uses === "pulumi/actions@v6")!;
        assert.equal(preview.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
        assert.match(preview.env?.GITHUB_TOKEN ?? "", /^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
        assert.notEqual(preview.env?.GITHUB_TOKEN, "${{ secrets.GITHUB_TOKEN }}");
        const kubeconfig = steps[index((s) => (s.run ?? "").includes("KUBECONFIG="), "writing the kubeconfig")];
        assert.equal(kubeconfig.env?.KUBECONFIG_CONTENT, "${{ secrets.KUBECONFIG }}");
        assert.match(kubeconfig.run!, />> "\$GITHUB_ENV"/);
        assert.ok(steps.indexOf(kubeconfig) < steps.indexOf(preview));
    });

    it("documents in docs/ci.md every secret and variable it reads", () => {
        const readme = read("docs/ci.md");
        const used = new Set([...text.matchAll(/\$\{\{\s*(secrets|vars)\.([A-Za-z_]+)\s*\}\}/g)].map((m) => m[2]));
        assert.deepEqual([...used].sort(), ["KUBECONFIG", "PLATFORM_GITHUB_TOKEN", "PULUMI_ACCESS_TOKEN", "PULUMI_STACK"]);
        for (const name of used) {
            assert.match(readme, new RegExp(`\`${name}\``), `docs/ci.md does not document ${name}`);
        }
    });
});

describe("the CI script (.ci/run)", () => {
    it("installs from the lockfile, lints, type-checks and runs the README's test command", () => {
        const lines = read(".ci/run").split("\n").map((l) => l.trim());
        const at = (command: string) => lines.findIndex((l) => l.startsWith(command));
        const order = ["npm ci", "npm run lint", "npx tsc --noEmit -p .", "npm test"].map(at);
        assert.ok(order.every((i) => i >= 0), `missing a step: ${JSON.stringify(order)}`);
        assert.deepEqual(order, [...order].sort((a, b) => a - b));
    });
});
