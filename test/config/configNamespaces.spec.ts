// Typos in a config namespace or in a provider's key stop the update before anything is created
// (config/providerKeys.ts).
import { strict as assert } from "assert";
import * as fs from "fs";
import { kubernetesKeys } from "../../config/providerKeys";
import { runProgram } from "../kit/harness";
import { defaultEngineNotice, validateConfig } from "../../config/validate";

const problemsOf = (extra: Record<string, string>) => {
    const result = validateConfig({ "github:owner": "org", "platform:teams": JSON.stringify([{ name: "team1" }]), ...extra });
    return result.ok ? [] : result.problems;
};

describe("config namespaces and the providers' keys", () => {
    it("refuses a namespace a letter or two from one the program reads, naming the key it meant", () => {
        assert.deepEqual([...problemsOf({ "platfrom:engine": "flux2", "kubernets:context": "prod", "githbu:owner": "x" })].sort(), [
            'githbu:owner: is in no namespace the program reads; did you mean "github:owner"?',
            'kubernets:context: is in no namespace the program reads; did you mean "kubernetes:context"?',
            'platfrom:engine: is in no namespace the program reads; did you mean "platform:engine"?',
        ]);
    });

    it("refuses a key a provider does not read, with the one it meant", () => {
        const problems = problemsOf({ "github:ownr": "org", "github:tokne": "x", "kubernetes:contxt": "prod", "tls:proxi": "{}" });
        assert.equal(problems.length, 4);
        assert.match(problems[0], /^github:ownr: is not a key the github provider reads; did you mean "github:owner"\? \(its keys: github:appAuth, /);
        assert.match(problems[1], /^github:tokne: .*did you mean "github:token"\?/);
        assert.match(problems[2], /^kubernetes:contxt: .*did you mean "kubernetes:context"\?/);
        assert.match(problems[3], /^tls:proxi: .*did you mean "tls:proxy"\?/);
    });

    it("never prints the value of a mistyped key, which may be a secret", () => {
        const problems = problemsOf({ "github:tokne": "ghp_secretvalue", "githbu:token": "ghp_secretvalue" });
        assert.equal(problems.length, 2);
        assert.ok(!problems.join("\n").includes("ghp_secretvalue"));
    });

    it("leaves the engine's namespace and those of other tools alone, and takes every key the providers read", () => {
        assert.deepEqual(problemsOf({
            "pulumi:template": "x", "aws:region": "eu-west-1", "gcp:project": "p", "gitlab:token": "t", "mytool:setting": "1",
            "kubernetes:context": "prod", "kubernetes:enableServerSideApply": "true", "github:baseUrl": "https://ghe.example.com/",
            "tls:proxy": "{}",
        }), []);
    });

    it("knows the Kubernetes provider's keys as the pinned package declares them (ProviderArgs)", () => {
        const declaration = fs.readFileSync(require.resolve("@pulumi/kubernetes/provider.d.ts"), "utf8");
        const args = /export interface ProviderArgs \{([\s\S]*?)\n\}/.exec(declaration)![1];
        const declared = [...args.matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1]).sort();
        assert.deepEqual([...kubernetesKeys].sort(), declared);
    });
});

describe("a stack that names no engine", () => {
    const noticesOf = (config: Record<string, unknown>) => {
        const result = validateConfig(Object.fromEntries(Object.entries({ "github:owner": "org", ...config })
            .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
        assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
        return result.notices;
    };

    it("is told which engine its repos got and how to choose, once", () => {
        assert.deepEqual(noticesOf({ "platform:teams": [{ name: "team1" }] }), [defaultEngineNotice]);
        assert.match(defaultEngineNotice, /^platform:engine is not set, so the cluster repo and each team that names no engine run flux1 \(Flux v1, which reached end of life\)\. For a new cluster choose Flux v2: `pulumi config set platform:engine flux2`/);
    });

    it("is not told when every repo names its engine, or when platform:engine is set", () => {
        assert.deepEqual(noticesOf({ "platform:engine": "flux1", "platform:teams": [{ name: "team1" }] }), []);
        assert.deepEqual(noticesOf({ "platform:cluster": { engine: "flux2" }, "platform:teams": [{ name: "team1", engine: "flux2" }] }), []);
        assert.deepEqual(noticesOf({ "platform:cluster": { engine: "flux2" }, "platform:teams": [{ name: "team1", engine: "flux2" }, { name: "team2" }] }),
            [defaultEngineNotice]);
    });

    it("sees the notice as a warning of the update", async () => {
        const run = await runProgram({ "github:owner": "org", "platform:teams": [{ name: "team1" }] });
        assert.equal(run.error, undefined);
        assert.equal(run.recording.logs.filter((l) => l.includes(defaultEngineNotice)).length, 1, run.recording.logs.join("\n"));
    });
});

describe("a team named like a namespace the cluster already has", () => {
    it("stops before anything of the team is on GitHub: its repo, read or created, and its deploy key wait for its namespace", async () => {
        const run = await runProgram({ "github:owner": "org", "platform:engine": "flux2",
            "platform:teams": [{ name: "monitoring" }, { name: "cert-manager", create: false }] });
        assert.equal(run.error, undefined);
        for (const team of ["monitoring", "cert-manager"]) {
            const namespace = run.recording.k8s("kubernetes:core/v1:Namespace", undefined, team);
            for (const r of run.recording.resources.filter((r) => r.type.startsWith("github:") && r.name.startsWith(`platform-team-${team}-`))) {
                assert.ok(r.dependsOn.includes(namespace.name), `${r.type} ${r.name} waits for ${namespace.name}`);
            }
        }
    });

    it("is never adopted: kubernetes:upsertExistingObjects true is refused", () => {
        const result = validateConfig({ "github:owner": "org", "platform:teams": "[]", "kubernetes:upsertExistingObjects": "true" });
        assert.ok(!result.ok);
        assert.match(result.problems.join("\n"), /^kubernetes:upsertExistingObjects: must not be true: the platform would adopt a namespace/m);
        assert.ok(validateConfig({ "github:owner": "org", "platform:teams": "[]", "kubernetes:upsertExistingObjects": "false" }).ok);
    });
});
