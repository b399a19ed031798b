import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { serverCommand, serverLines, ServerApply } from "../../bench/serverReport";
import { markers } from "../kit/generatedBlock";
import { objectsByTeam, ObjectKey, toApplied } from "../../bench/teamObjects";
import { autoName, secretSig, sigKey, withProviderName } from "../kit/mockOutputs";
import { recordedObject } from "../cluster/applyStack";

const object = (kind: string, name: string, namespace?: string): ObjectKey => ({ apiVersion: "v1", kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
const clusterKinds = new Set(["Namespace", "ClusterRoleBinding", "ContainerResources", "CustomResourceDefinition"]);
const namespaced = (o: ObjectKey) => !clusterKinds.has(o.kind);

describe("the benchmark on a real API server: what it counts", () => {
    it("counts a team's objects: in its namespace, and cluster-scoped ones named for it", () => {
        const counted = objectsByTeam([
            object("Namespace", "team001"), object("ClusterRoleBinding", "gitops-platform:flux:team001"), object("ContainerResources", "team001"),
            object("Secret", "flux-git-deploy", "team001"), object("Deployment", "flux", "team001"),
            object("Namespace", "team002"), object("Secret", "flux-git-deploy", "team002"),
            // Not a team's: another namespace, a name that only starts like a team's, an object without a namespace (default).
            object("Deployment", "flux", "flux-system"), object("ClusterRoleBinding", "team0011-reader"), object("ConfigMap", "team001"),
            object("CustomResourceDefinition", "teams.example.com"),
        ], ["team001", "team002"], namespaced);
        assert.deepEqual(counted.byTeam.get("team001"), { inNamespace: 2, clusterScoped: 3 });
        assert.deepEqual(counted.byTeam.get("team002"), { inNamespace: 1, clusterScoped: 1 });
        assert.equal(counted.shared, 4);
    });

    it("refuses a cluster-scoped name that names two teams, rather than count it for one", () => {
        assert.throws(() => objectsByTeam([object("ClusterRoleBinding", "team001:team002")], ["team001", "team002"], namespaced), /several teams/);
    });

    it("gives the Applier the recorded inputs, secrets unwrapped, and an unnamed object the provider's name", () => {
        const [secret, named, repo] = toApplied([
            { type: "kubernetes:core/v1:Secret", name: "platform-flagger-slack-webhook", custom: true, outputs: [], dependencies: ["platform-flagger-namespace"],
                inputs: { metadata: { namespace: "flagger-system" }, stringData: { [sigKey]: secretSig, value: { address: "https://hooks" } } } },
            { type: "kubernetes:core/v1:Secret", name: "platform-x", custom: true, outputs: [], inputs: { metadata: { name: "x", namespace: "flux-system" } } },
            { type: "github:index/repository:Repository", name: "platform-repo", custom: true, outputs: [], inputs: { name: "repo" } },
        ]);
        assert.deepEqual(secret.inputs.stringData, { address: "https://hooks" });
        assert.deepEqual([...secret.secretInputs], ["stringData"]);
        assert.deepEqual(secret.dependsOn, ["platform-flagger-namespace"]);
        assert.equal(secret.inputs.metadata.name, undefined, "named where the Applier reads it, as the provider names it");
        assert.match(recordedObject(secret)!.metadata.name, /^platform-flagger-slack-webhook-[0-9a-f]{8}$/);
        assert.equal(recordedObject(secret)!.metadata.name, autoName(secret.name, secret.inputs));
        assert.equal(recordedObject(named)!.metadata.name, "x");
        assert.deepEqual(repo.inputs, { name: "repo" });
    });

    it("names no Helm release, nothing outside Kubernetes and no object with a generateName", () => {
        assert.deepEqual(withProviderName("kubernetes:helm.sh/v3:Release", "r", { metadata: {} }), { metadata: {} });
        assert.deepEqual(withProviderName("tls:index/privateKey:PrivateKey", "k", { metadata: {} }), { metadata: {} });
        assert.deepEqual(withProviderName("kubernetes:core/v1:Secret", "s", { metadata: { generateName: "s-" } }), { metadata: { generateName: "s-" } });
        assert.match(withProviderName("kubernetes:core/v1:Secret", "s", { metadata: {} }).metadata.name, /^s-[0-9a-f]{8}$/);
    });

    it("meets its target only with nothing refused and within a minute", () => {
        const run: ServerApply = {
            version: "1.37.2", teams: 1000, parallel: 16, resources: 22047, applied: 13068, refused: [], applyMs: 50_000, startMs: 9000,
            cores: 2, load: 1, perTeam: [{ inNamespace: 10, clusterScoped: 3, teams: 1000 }], shared: 68,
        };
        assert.equal(serverLines(run).met, true);
        assert.ok(serverLines(run).lines.some((l) => /objects a team +13 \(10 in its namespace, 3 cluster-scoped named for it\), every team alike/.test(l)));
        assert.equal(serverLines({ ...run, applyMs: 60_001 }).met, false);
        assert.equal(serverLines({ ...run, refused: [{ resource: "r", object: "Secret a/b", status: 422, message: "no" }] }).met, false);
    });

    it("has its block's markers in docs/scale.md, once each", () => {
        const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "scale.md"), "utf8");
        const { start, end } = markers(serverCommand);
        assert.equal(doc.split(start).length, 2);
        assert.equal(doc.split(end).length, 2);
    });
});
