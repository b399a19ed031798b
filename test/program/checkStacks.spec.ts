// `npm run check` (tools/checkStacks.ts): each stack file run as `pulumi up` would, no credentials.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectConfig, projects, stackConfig, summary } from "../../tools/checkStacks";
import { runProgram } from "../kit/harness";

function stackFileWith(text: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gitops-platform-check-")), "Pulumi.ci.yaml");
    fs.writeFileSync(file, text);
    return file;
}

describe("npm run check: every stack file without a cluster, backend or token", () => {
    it("stands a secret in for each value it cannot decrypt, and hands its key over as secret", () => {
        const file = stackFileWith([
            "config:", "  github:owner: org", "  platform:slackWebhook:", "    secure: v1:AAAA:BBBB",
            "  platform:teamSlackWebhooks:", "    team1:", "      secure: v1:CCCC:DDDD", "  platform:teams:", "    - name: team1", "",
        ].join("\n"));
        const { config, secretKeys } = stackConfig(file);
        assert.deepEqual(secretKeys, ["platform:slackWebhook", "platform:teamSlackWebhooks"]);
        assert.match(String(config["platform:slackWebhook"]), /^https:\/\/hooks\.slack\.com\/services\//);
        assert.deepEqual(Object.keys(config["platform:teamSlackWebhooks"] as object), ["team1"]);
    });

    it("lists what a stack would create, per team and shared, and a refused one's problems", async () => {
        const { config, secretKeys } = stackConfig(stackFileWith("config:\n  github:owner: org\n  platform:engine: flux2\n  platform:teams:\n    - name: team1\n"));
        const run = await runProgram(config, secretKeys);
        assert.equal(run.error, undefined);
        const lines = summary(run.recording.resources, ["team1"]);
        assert.equal(lines.length, 2);
        assert.match(lines[0], /^ {2}shared: \d+ Kubernetes objects, \d+ GitHub objects$/);
        assert.match(lines[1], /^ {2}team team1: [1-9]\d* Kubernetes objects, 2 GitHub objects$/);
        const refused = stackConfig(stackFileWith("config:\n  github:owner: org\n  platfrom:engine: flux2\n"));
        const failed = await runProgram(refused.config, refused.secretKeys);
        assert.match(failed.error?.message ?? "", /platfrom:engine: is in no namespace the program reads/);
    });

    it("adds a project's config to each of its stacks, the stack's keys replacing it whole", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitops-platform-project-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), [
            "name: platform", "runtime: nodejs", "config:", "  github:owner: org", "  engine: flux2",
            "  platform:teams:", "    value:", "      - name: team1", "  platform:fleet:", "    value:", "      clusters: [a, b]", "",
        ].join("\n"));
        const project = projectConfig(path.join(dir, "Pulumi.yaml"));
        assert.deepEqual(project, { "github:owner": "org", "platform:engine": "flux2", "platform:teams": [{ name: "team1" }],
            "platform:fleet": { clusters: ["a", "b"] } });
        fs.writeFileSync(path.join(dir, "Pulumi.b.yaml"), "config:\n  platform:teams: []\n  platform:cluster:\n    name: b\n");
        const { config } = stackConfig(path.join(dir, "Pulumi.b.yaml"), project);
        assert.deepEqual(config["platform:teams"], []);
        assert.deepEqual(config["platform:fleet"], { clusters: ["a", "b"] });
    });

    it("checks the example fleet's stacks with its project's config, and says which teams a cluster leaves out", async () => {
        const fleet = projects().find((p) => p.dir.endsWith(path.join("examples", "fleet")))!;
        assert.deepEqual(fleet.files, ["Pulumi.production.yaml", "Pulumi.staging.yaml"]);
        const { config, secretKeys } = stackConfig(path.join(fleet.dir, "Pulumi.production.yaml"), fleet.project);
        const run = await runProgram(config, secretKeys);
        assert.equal(run.error, undefined);
        const lines = summary(run.recording.resources, ["team1", "team3"]);
        assert.match(lines[1], /^ {2}team team1: [1-9]\d* Kubernetes objects, 1 GitHub objects \(and 1 used, owned by another stack\)$/);
        assert.equal(lines[2], "  team team3: not on this cluster");
    });

    it("is a step of the pull request workflow, after the tests", () => {
        const workflow = fs.readFileSync(path.join(__dirname, "..", "..", ".github", "workflows", "preview.yml"), "utf8");
        assert.ok(workflow.indexOf("run: npm run check") > workflow.indexOf("run: npm test"));
    });
});
