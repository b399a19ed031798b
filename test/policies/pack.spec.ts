import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as github from "@pulumi/github";
import { fluxV1Names } from "../../components/engines/flux1/names";
import { podSecurityLabelPrefix, systemNamespace, teamLabel } from "../../components/shared/names";
import { fluxdDefaults } from "../../policy/fluxd";
import { knownHostsDir } from "../../policy/fluxGitAccess";
import * as packPlatform from "../../policy/platform";
import { podSecurityPrefix } from "../../policy/teamNamespacePodSecurity";
import { isFluxInstance, isKustomization } from "../../policy/fluxV2";
import { teamServiceAccountName } from "../../components/engines/flux2/fluxInstance";
import { exampleStack, fluxV2Team } from "../kit/platformCluster";
import { policies } from "../../policy/policies";
import { runProgram } from "../kit/harness";
import { check, fromRecording, packDir } from "../kit/policyHarness";
import { stackFile } from "../kit/stackConfig";
import { projects, stackConfig } from "../../tools/checkStacks";

/** Starts the pack as the Pulumi CLI does for `--policy-pack policy`: the pack's own install runs it. */
function startPack(): Promise<{ port: number; pack: ChildProcess }> {
    const runner = path.join(packDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
    const pack = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        pack.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            const port = /^(\d+)\s*$/m.exec(out);
            if (port) {
                resolve({ port: Number(port[1]), pack });
            }
        });
        pack.stderr.on("data", (d: Buffer) => { err += d.toString(); });
        pack.on("exit", (code) => reject(new Error(`the policy pack exited with ${code}: ${err}`)));
    });
}

function packModule(module: string): any {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve(module, { paths: [packDir] }));
}

describe("the policy pack (policy/)", () => {
    // The pack runs on its own and cannot import the program: every name it copies is checked here.
    it("knows the platform by the names and labels the program uses", () => {
        assert.equal(packPlatform.teamLabel, teamLabel);
        assert.equal(packPlatform.systemNamespace, systemNamespace);
        assert.equal(packPlatform.fluxName, fluxV1Names.deployment);
        assert.equal(packPlatform.fluxName, fluxV1Names.serviceAccount);
        assert.equal(packPlatform.deployKeyType, (github.RepositoryDeployKey as unknown as { __pulumiType: string }).__pulumiType);
        assert.equal(fluxdDefaults.secretName, fluxV1Names.gitSecret);
        assert.equal(podSecurityPrefix, podSecurityLabelPrefix);
    });

    it("knows Flux v2's objects by the kinds and groups the engine creates", async () => {
        const run = await runProgram(exampleStack(), ["platform:teamSlackWebhooks"]);
        const tenantKustomizations = run.recording.resources.filter((r) => isKustomization(r.type) && r.inputs.metadata?.namespace === fluxV2Team);
        assert.equal(tenantKustomizations.length, 1);
        assert.equal(tenantKustomizations[0].inputs.spec.serviceAccountName, teamServiceAccountName);
        assert.equal(run.recording.resources.filter((r) => isFluxInstance(r.type)).length, 1);
    });

    it("looks for fluxd's key and known_hosts where the program mounts them", async () => {
        const run = await runProgram(stackFile("migration"));
        const flux = run.recording.k8s("kubernetes:apps/v1:Deployment", "team1", fluxV1Names.deployment).inputs.spec.template.spec;
        const mounts = (flux.containers[0].volumeMounts as Array<{ name: string; mountPath: string }>);
        const volumeOf = (name: string) => (flux.volumes as Array<{ name: string; secret?: { secretName: string } }>).find((v) => v.name === name);
        const keyMount = mounts.find((m) => volumeOf(m.name)?.secret?.secretName === fluxdDefaults.secretName);
        assert.equal(keyMount?.mountPath, fluxdDefaults.secretMountPath);
        assert.ok(mounts.some((m) => m.mountPath === knownHostsDir), `nothing is mounted at ${knownHostsDir}`);
    });

    it("holds the eight invariants, all of them blocking", () => {
        assert.deepEqual(policies.map((p) => [p.name, p.enforcementLevel]), [
            ["team-flux-no-cluster-write", "mandatory"],
            ["team-namespace-pod-security", "mandatory"],
            ["flux-git-secret-and-known-hosts", "mandatory"],
            ["deploy-key-write-only-where-flux-writes", "mandatory"],
            // Reports as mandatory; see policy/secretValues.ts and its spec.
            ["secret-values-are-secret", "remediate"],
            ["flux2-tenant-kustomization-own-account", "mandatory"],
            ["flux2-multitenant-lockdown", "mandatory"],
            ["flux2-tenant-account-no-cluster-write", "mandatory"],
        ]);
    });

    it("passes the example stack on every invariant", async () => {
        const run = await runProgram(stackFile("migration"));
        assert.deepEqual(await check(fromRecording(run.recording)), []);
    });

    it("passes each cluster's stack of the example fleet on every invariant", async () => {
        const fleet = projects().find((p) => p.dir.endsWith(path.join("examples", "fleet")))!;
        for (const file of fleet.files) {
            const { config, secretKeys } = stackConfig(path.join(fleet.dir, file), fleet.project);
            const run = await runProgram(config, secretKeys, undefined, undefined, file.split(".")[1]);
            assert.equal(run.error, undefined);
            assert.deepEqual(await check(fromRecording(run.recording)), [], file);
        }
    });

    it("passes a mixed stack (Flux v1 and Flux v2 teams side by side) on every invariant", async () => {
        const run = await runProgram(exampleStack(), ["platform:teamSlackWebhooks"]);
        assert.ok(run.recording.resources.some((r) => isKustomization(r.type)), "the stack runs no Flux v2");
        assert.deepEqual(await check(fromRecording(run.recording)), []);
    });

    it("passes a Flux v2 team that automates image updates (its write key is the image automation's)", async () => {
        const run = await runProgram({
            "github:owner": "org",
            "platform:teams": [{ name: "team1" }, { name: "team2", engine: "flux2", flux: { imageAutomation: true } }, { name: "team3", engine: "flux2" }],
        });
        assert.ifError(run.error);
        assert.deepEqual(await check(fromRecording(run.recording)), []);
    });

    it("passes a stack with a rotated key and a read-only team Flux", async () => {
        const run = await runProgram({
            "github:owner": "org",
            "platform:cluster": { keyVersion: 2 },
            "platform:teams": [{ name: "team1", keyVersion: 3 }, { name: "team2", flux: { args: ["--git-readonly"] } }],
        });
        const found = await check(fromRecording(run.recording));
        assert.deepEqual(found, []);
    });

    it("starts from its own install as `pulumi preview --policy-pack policy` starts it, and blocks a plaintext Secret", async function () {
        this.timeout(60000);
        const { port, pack } = await startPack();
        try {
            const grpc = packModule("@grpc/grpc-js");
            const rpc = packModule("@pulumi/pulumi/proto/analyzer_grpc_pb");
            const analyzer = packModule("@pulumi/pulumi/proto/analyzer_pb");
            const { Struct } = packModule("google-protobuf/google/protobuf/struct_pb");
            const { Empty } = packModule("google-protobuf/google/protobuf/empty_pb");
            const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            const call = (method: string, request: unknown): Promise<any> => new Promise((resolve, reject) =>
                client[method](request, (e: Error | null, r: unknown) => e ? reject(e) : resolve(r)));

            const info = await call("getAnalyzerInfo", new Empty());
            assert.equal(info.getName(), "gitops-platform");
            assert.deepEqual(info.getPoliciesList().map((p: any) => p.getName()).sort(), policies.map((p) => p.name).sort());

            const request = new analyzer.AnalyzeRequest();
            request.setUrn("urn:pulumi:ci::platform::kubernetes:core/v1:Secret::webhook");
            request.setType("kubernetes:core/v1:Secret");
            request.setName("webhook");
            request.setProperties(Struct.fromJavaScript({ metadata: { name: "webhook", namespace: "team1" }, stringData: { address: "https://hooks" } }));
            request.setOptions(new analyzer.AnalyzerResourceOptions());
            await call("remediate", request);
            const diagnostics = (await call("analyze", request)).getDiagnosticsList();
            assert.deepEqual(diagnostics.map((d: any) => [d.getPolicyname(), d.getEnforcementlevel()]),
                [["secret-values-are-secret", analyzer.EnforcementLevel.MANDATORY]]);
            client.close();
        } finally {
            pack.kill();
        }
    });
});
