// The PR workflow and CI script are code too: these checks keep them from silently rotting.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const root = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}

/**
 * The current major of each action the workflow uses, and the runtime it declares in its
 * action.yml at that tag: actions/checkout v7.0.1 and actions/setup-node v7.0.0 `using: node24`,
 * pulumi/actions v7.0.0 `using: 'node24'` (its CHANGELOG: "update Action runtime to node 24"),
 * actions/setup-go v6 `using: 'node24'`.
 * GitHub is retiring Node 20 from Actions; the v4 and v6 majors ran on it.
 */
const currentActions: Record<string, { readonly major: string; readonly runtime: string }> = {
    "actions/checkout": { major: "v7", runtime: "node24" },
    "actions/setup-node": { major: "v7", runtime: "node24" },
    "actions/setup-go": { major: "v6", runtime: "node24" },
    "pulumi/actions": { major: "v7", runtime: "node24" },
};

interface Job {
    readonly needs?: string | string[];
    readonly if?: string;
    readonly environment?: string | { readonly name: string };
    readonly permissions?: Record<string, string>;
    readonly steps: Step[];
}

describe("the pull request workflow (.github/workflows/preview.yml)", () => {
    const text = read(".github/workflows/preview.yml");
    const workflow = parse(text);
    const jobs: Record<string, Job> = workflow.jobs;
    const test = jobs.test;
    const preview = jobs.preview;
    const index = (steps: Step[], match: (s: Step) => boolean, what: string) => {
        const i = steps.findIndex(match);
        assert.ok(i >= 0, `no step ${what}`);
        return i;
    };
    const running = (command: string) => (s: Step) => (s.run ?? "").split("\n").some((line) => line.trim().startsWith(command));
    const previewStep = () => preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    const secretsIn = (value: unknown) => [...JSON.stringify(value).matchAll(/\$\{\{\s*secrets\.([A-Za-z_]+)\s*\}\}/g)].map((m) => m[1]);

    it("runs on pull requests; only the preview job may comment on them", () => {
        assert.ok("pull_request" in workflow.on);
        assert.ok(!("pull_request_target" in workflow.on), "pull_request_target would hand secrets to a fork's code");
        assert.deepEqual(workflow.permissions, { contents: "read" });
        assert.deepEqual(preview.permissions, { contents: "read", "pull-requests": "write" });
        assert.equal(test.permissions, undefined);
    });

    it("installs a current Node LTS that runs this program, and the dependencies from the lockfiles", () => {
        const pkg = JSON.parse(read("package.json"));
        const floor = Number(/^>=(\d+)$/.exec(pkg.engines.node)![1]);
        for (const job of [test, preview]) {
            const node = job.steps[index(job.steps, (s) => s.uses?.startsWith("actions/setup-node@") ?? false, "setup-node")];
            // Node 20 is end of life; @pulumi/pulumi 3.248 (package.json) runs on 22, which 3.250 and later require.
            assert.equal(node.with?.["node-version"], 22);
            assert.ok(22 >= floor, "within package.json's engines");
            assert.equal(pkg.dependencies["@pulumi/pulumi"], "3.248.0");
            assert.equal(node.with?.cache, "npm");
            assert.match(String(node.with?.["cache-dependency-path"]), /^policy\/package-lock\.json$/m);
            index(job.steps, running("npm ci"), "npm ci");
        }
        assert.equal(pkg.scripts.postinstall, "npm ci --prefix policy --no-audit --no-fund");
    });

    it("uses each action at its current major, none on the Node 20 runtime", () => {
        const used = Object.values(jobs).flatMap((job) => job.steps).map((s) => s.uses).filter((u): u is string => u !== undefined);
        assert.ok(used.length > 0);
        for (const uses of used) {
            const [action, version] = uses.split("@");
            assert.ok(action in currentActions, `${action} is not among the actions whose runtime was checked`);
            assert.equal(version, currentActions[action].major, `${action}@${version}`);
            assert.notEqual(currentActions[action].runtime, "node20");
        }
    });

    it("leaves no credentials in the checkout for the pull request's code", () => {
        const checkouts = Object.values(jobs).flatMap((job) => job.steps.filter((s) => s.uses?.startsWith("actions/checkout@")));
        assert.ok(checkouts.length >= Object.keys(jobs).length, "every job checks the code out");
        for (const [name, job] of Object.entries(jobs)) {
            for (const checkout of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
                assert.equal(checkout.with?.["persist-credentials"], false, `the checkout of job ${name}`);
            }
        }
    });

    it("lints, type-checks and tests with no secrets, before any job that has them", () => {
        const order = ["npm ci", "npm run lint", "npx tsc --noEmit -p .", "npm test", "npm run check"].map((c) => index(test.steps, running(c), c));
        assert.deepEqual(order, [...order].sort((a, b) => a - b));
        assert.ok(index(test.steps, (s) => s.uses?.startsWith("actions/checkout@") ?? false, "checkout") < order[0]);
        assert.deepEqual(secretsIn(test), [], "the tests run the pull request's code: no secret may reach them");
        assert.equal(test.environment, undefined);
        assert.equal(preview.needs, "test");
    });

    it("gives the secrets only to the preview, behind a protected environment, never to forks or Dependabot", () => {
        // Environment secrets reach only a job that names the environment, and only once its
        // required reviewers approve; repository secrets would reach every job of every branch.
        assert.equal(preview.environment, "preview");
        const jobsWithSecrets = Object.entries(jobs).filter(([, job]) => secretsIn(job).length > 0).map(([name]) => name);
        assert.deepEqual(jobsWithSecrets, ["preview"]);
        assert.match(preview.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
        // Dependabot's runs get no Actions secrets: skip them rather than fail.
        assert.match(preview.if ?? "", /github\.actor != 'dependabot\[bot\]'/);
        assert.match(preview.if ?? "", /&&/);
    });

    it("previews the stack from the settings with the policy pack and comments the diff on the PR", () => {
        const step = previewStep();
        assert.equal(step.uses, "pulumi/actions@v7");
        // A pinned CLI: the SDK's own version, at or above the README's minimum.
        const sdk = (JSON.parse(read("package.json")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
        assert.equal(String(step.with?.["pulumi-version"]), sdk);
        const minimum = /Pulumi CLI\]\([^)]*\) (\d+\.\d+) or later/.exec(read("README.md"))![1].split(".").map(Number);
        const pinned = sdk.split(".").map(Number);
        assert.ok(pinned[0] > minimum[0] || (pinned[0] === minimum[0] && pinned[1] >= minimum[1]), `${sdk} is older than the README's ${minimum.join(".")}`);
        assert.equal(step.with?.command, "preview");
        assert.equal(step.with?.["stack-name"], "${{ vars.PULUMI_STACK }}");
        assert.equal(step.with?.["comment-on-pr"], true);
        const packs = String(step.with?.policyPacks).split("\n").filter((p) => p !== "");
        assert.deepEqual(packs, ["policy"]);
        assert.ok(fs.existsSync(path.join(root, packs[0], "PulumiPolicy.yaml")), "policyPacks names the pack's directory");
    });

    it("comments a failed preview too, so an earlier success does not stand for it", () => {
        const stepIndex = preview.steps.indexOf(previewStep());
        const comment = preview.steps[index(preview.steps, running("gh pr comment"), "a comment of the failure")];
        assert.ok(preview.steps.indexOf(comment) > stepIndex);
        assert.equal(previewStep().id, "preview");
        assert.equal(comment.if, "failure() && steps.preview.outcome == 'failure'");
        assert.equal(comment.env?.GH_TOKEN, "${{ github.token }}");
        assert.equal(comment.env?.PR, "${{ github.event.pull_request.number }}");
        assert.deepEqual(secretsIn(comment), []);
    });

    it("gives the preview its tokens and a kubeconfig, the provider's GitHub token distinct from the workflow's", () => {
        const step = previewStep();
        assert.equal(step.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
        assert.match(step.env?.GITHUB_TOKEN ?? "", /^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
        assert.notEqual(step.env?.GITHUB_TOKEN, "${{ secrets.GITHUB_TOKEN }}");
        const kubeconfig = preview.steps[index(preview.steps, (s) => (s.run ?? "").includes("KUBECONFIG="), "writing the kubeconfig")];
        assert.equal(kubeconfig.env?.KUBECONFIG_CONTENT, "${{ secrets.KUBECONFIG }}");
        assert.match(kubeconfig.run!, />> "\$GITHUB_ENV"/);
        assert.ok(preview.steps.indexOf(kubeconfig) < preview.steps.indexOf(step));
    });

    it("documents in docs/ci.md every secret and variable it reads, the environment and the trust model", () => {
        const doc = read("docs/ci.md");
        const used = new Set([...text.matchAll(/\$\{\{\s*(secrets|vars)\.([A-Za-z_]+)\s*\}\}/g)].map((m) => m[2]));
        assert.deepEqual([...used].sort(), ["KUBECONFIG", "PLATFORM_GITHUB_TOKEN", "PULUMI_ACCESS_TOKEN", "PULUMI_STACK"]);
        for (const name of used) {
            assert.match(doc, new RegExp(`\`${name}\``), `docs/ci.md does not document ${name}`);
        }
        assert.match(doc, /## Trust model/);
        assert.match(doc, /environment `preview`/);
        assert.match(doc, /required reviewers/i);
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

describe("the deploy workflow (.github/workflows/deploy.yml)", () => {
    const text = read(".github/workflows/deploy.yml");
    const workflow = parse(text);
    const jobs: Record<string, Job> = workflow.jobs;
    const secretsIn = (value: unknown) => [...JSON.stringify(value).matchAll(/\$\{\{\s*secrets\.([A-Za-z_]+)\s*\}\}/g)].map((m) => m[1]);
    const up = () => jobs.deploy.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;

    it("runs on pushes to main only, one update at a time, never cancelled halfway", () => {
        assert.deepEqual(Object.keys(workflow.on), ["push"]);
        assert.deepEqual(workflow.on.push.branches, ["main"]);
        assert.deepEqual(workflow.permissions, { contents: "read" });
        assert.equal(workflow.concurrency["cancel-in-progress"], false);
    });

    it("tests with no secrets, then updates with the policy pack behind the deploy environment", () => {
        assert.deepEqual(secretsIn(jobs.test), []);
        const steps = jobs.test.steps.map((s) => s.run ?? "");
        const order = ["npm ci", "npm run lint", "npx tsc --noEmit -p .", "npm test"].map((c) => steps.findIndex((r) => r.startsWith(c)));
        assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), JSON.stringify(order));
        assert.equal(jobs.deploy.needs, "test");
        assert.equal(jobs.deploy.environment, "deploy", "not preview: a pull request's own workflow file may name preview's secrets");
        assert.equal(up().with?.command, "up");
        assert.equal(up().with?.policyPacks, "policy");
        assert.equal(String(up().with?.["pulumi-version"]), parse(read(".github/workflows/preview.yml")).jobs.preview.steps
            .find((s: Step) => s.uses?.startsWith("pulumi/actions@"))!.with!["pulumi-version"].toString());
        assert.ok(jobs.deploy.steps.filter((s) => s.uses?.startsWith("actions/checkout@")).every((s) => s.with?.["persist-credentials"] === false));
    });

    it("documents its environment and secrets in docs/ci.md", () => {
        const doc = read("docs/ci.md");
        assert.match(doc, /environment `deploy`/);
        for (const name of new Set(secretsIn(jobs.deploy))) {
            assert.match(doc, new RegExp(`\`${name}\``));
        }
    });
});
