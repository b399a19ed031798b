import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { canaryManifestMarker } from "../../components/addons/flagger/canaryExample";
import { Team } from "../../components/platform/team";
import { TeamSettings } from "../../config/types";
import { Recording, record } from "../kit/harness";
import { teamArgs, teamSettings as settings } from "../kit/teamFixture";

const alertProvider = "kubernetes:flagger.app/v1beta1:AlertProvider";
const teamWebhook = "https://hooks.slack.com/services/T111/B111/team1-secret";

/** A team next to a Flagger (or without one), as the Platform builds it. */
async function build(slack: Partial<TeamSettings["slack"]>, withFlagger = true): Promise<Recording> {
    return (await record(() => new Team("team1",
        teamArgs({ ...settings, slack: { ...settings.slack, ...slack } }, { flagger: withFlagger })))).recording;
}

function repoFiles(recording: Recording): Map<string, string> {
    return new Map(recording.ofType("github:index/repositoryFile:RepositoryFile")
        .map((f) => [f.inputs.file as string, f.inputs.content as string]));
}

/** The example's manifest with its comment marks taken off, as a team would uncomment it. */
function uncommented(example: string): any {
    const lines = example.split("\n");
    const start = lines.indexOf(canaryManifestMarker);
    assert.ok(start >= 0, "the example marks where its manifest starts");
    return parse(lines.slice(start + 1).map((line) => line.replace(/^# ?/, "")).join("\n"));
}

describe("a team's Flagger alerts", () => {
    it("with a webhook: an AlertProvider of type slack whose webhook is in a Secret beside it", async () => {
        const recording = await build({ channel: "team1-deploys", webhook: pulumi.secret(teamWebhook) });
        const secret = recording.k8s("kubernetes:core/v1:Secret", "team1", "platform-slack-webhook");
        assert.deepEqual(secret.inputs.stringData, { address: teamWebhook });
        assert.ok(secret.secretInputs.has("stringData"), "the webhook is a secret input of the Secret");
        assert.equal(secret.inputs.metadata.labels["gitops-platform/team"], "team1");

        const provider = recording.k8s(alertProvider, "team1", "platform-slack");
        assert.equal(provider.inputs.apiVersion, "flagger.app/v1beta1");
        assert.equal(provider.inputs.kind, "AlertProvider");
        assert.deepEqual(provider.inputs.spec, {
            type: "slack", channel: "team1-deploys", username: "flagger", secretRef: { name: "platform-slack-webhook" },
        });
        assert.equal(provider.secretInputs.size, 0);
        assert.ok(!JSON.stringify(provider.inputs).includes(teamWebhook), "the webhook stays out of the provider's spec");
    });

    it("waits for the Flagger release, whose chart installs the AlertProvider CRD", async () => {
        const recording = await build({ webhook: pulumi.secret(teamWebhook) });
        const provider = recording.k8s(alertProvider, "team1", "platform-slack");
        assert.ok(provider.dependsOn.includes("flagger-release"),
            `depends on ${provider.dependsOn.join(", ")}`);
    });

    it("without a webhook: no AlertProvider and no Secret", async () => {
        const recording = await build({ channel: "team1-deploys" });
        assert.deepEqual(recording.ofType(alertProvider), []);
        assert.deepEqual(recording.ofType("kubernetes:core/v1:Secret").map((s) => s.inputs.metadata.name), ["flux-git-deploy"]);
    });

    it("without Flagger: no AlertProvider even with a webhook, and no example Canary", async () => {
        const recording = await build({ webhook: pulumi.secret(teamWebhook) }, false);
        assert.deepEqual(recording.ofType(alertProvider), []);
        assert.ok(![...repoFiles(recording).keys()].some((f) => f.includes("canary")));
    });

    it("starts the repo with a commented Canary that alerts through the team's provider", async () => {
        const files = repoFiles(await build({ webhook: pulumi.secret(teamWebhook) }));
        const example = files.get("deploy/workloads/canary.example.yaml")!;
        assert.ok(example, `files: ${[...files.keys()].join(", ")}`);
        assert.ok(example.split("\n").every((line) => line === "" || line.startsWith("#")), "every line is a comment");
        assert.doesNotMatch(files.get("deploy/kustomization.yaml")!, /canary/, "Flux does not apply the example");
        const canary = uncommented(example);
        assert.equal(canary.kind, "Canary");
        assert.equal(canary.apiVersion, "flagger.app/v1beta1");
        assert.equal(canary.spec.provider, "kubernetes");
        assert.deepEqual(canary.spec.targetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "frontend" });
        assert.deepEqual(canary.spec.analysis.alerts, [
            // No namespace: Flagger looks in the Canary's own (flagger v1.44.0 pkg/controller/events.go).
            { name: "slack", severity: "info", providerRef: { name: "platform-slack" } },
        ]);
        assert.doesNotMatch(example, /team1/, "one example for every team: a template carries it");
        assert.deepEqual(canary.spec.analysis.metrics.map((m: any) => m.name), ["request-success-rate", "request-duration"]);
        assert.match(example, /prometheus\.io\/scrape: "true"/);
    });

    it("a team without a webhook gets the example without alerts, so Flagger uses the platform's channel", async () => {
        const example = repoFiles(await build({})).get("deploy/workloads/canary.example.yaml")!;
        const canary = uncommented(example);
        assert.equal(canary.kind, "Canary");
        assert.equal(canary.spec.analysis.alerts, undefined);
        assert.match(example, /platform:teamSlackWebhooks/);
    });
});
