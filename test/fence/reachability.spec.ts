import { strict as assert } from "assert";
import * as fs from "fs";
import { Recording, runProgram } from "../kit/harness";
import { blockOf } from "../kit/generatedBlock";
import { webhookKey } from "../kit/platformCluster";
import { leaks, Reachability, reachability, reachabilityStack, teamPodName } from "../kit/reachability";
import { reachabilityDocCommand, reachabilityDocPath, renderReachabilityBlock } from "../kit/reachabilityDoc";
import { decideConnection, Pod } from "../kit/networkPolicy";

describe("what a pod reaches of the platform's, decided from the NetworkPolicies (test/kit, a model)", () => {
    let recording: Recording;
    let table: Reachability;
    before(async () => {
        const run = await runProgram(reachabilityStack(), [webhookKey]);
        if (run.error) {
            throw run.error;
        }
        recording = run.recording;
        table = reachability(recording);
    });

    it("reaches nothing a team should not reach, from any team (each engine)", () => {
        assert.deepEqual(leaks(table).map((c) => `${c.source.name} -> ${c.pod.namespace}/${c.pod.name}:${c.port.port} (${c.why})`), []);
        assert.ok(table.sources.some((s) => s.name.includes("Flux v1")) && table.sources.some((s) => s.name.includes("Flux v2")));
    });

    it("covers every platform pod: memcached, both fluxds' kinds, the operator, Flux's controllers and a team's dedicated ones, Flagger, Prometheus, Gatekeeper", () => {
        const names = new Set(table.pods.map((p) => p.name));
        for (const name of ["flux-memcached", "flux", "flux-operator", "source-controller", "notification-controller", "source-controller-team3", "kustomize-controller-team3",
            "helm-controller-team3", "flagger", "flagger-prometheus", "gatekeeper-controller-manager"]) {
            assert.ok(names.has(name), `no ${name}: ${[...names].join(", ")}`);
        }
    });

    it("lets through what the platform needs", () => {
        const reach = (source: string, pod: string, port: number) => {
            const cell = table.cells.find((c) => c.source.name === source && c.pod.name === pod && c.port.port === port);
            assert.ok(cell, `no cell ${source} -> ${pod}:${port}`);
            return cell.reachable;
        };
        assert.ok(reach("team1's fluxd", "flux-memcached", 11211), "a Flux v1 team's fluxd to memcached");
        assert.ok(!reach("a pod of team1 (Flux v1)", "flux-memcached", 11211), "a team's own pod to memcached");
        assert.ok(reach("outside the pod network (the API server, a node)", "gatekeeper-controller-manager", 8443), "the API server to the webhook");
        assert.ok(reach("a pod of flux-system", "source-controller", 9090), "kustomize-controller to source-controller's artifacts");
        assert.ok(reach("flagger", "flagger-prometheus", 9090), "Flagger to its Prometheus");
        assert.ok(!reach("a pod of team3 (Flux v2)", "source-controller", 9090), "a team to the artifacts");
        assert.ok(!reach("a pod of team3 (Flux v2)", "flux-operator", 8080), "a team to the operator's metrics and pprof");
        assert.ok(!reach("a pod of team2 (Flux v1)", "flux", 3030), "a team to the cluster admins' fluxd API");
        assert.ok(!reach("a pod of team3 (Flux v2)", "source-controller-team3", 9090), "a team to its own shard's artifacts");
        assert.ok(reach("flagger-prometheus", "kustomize-controller-team3", 8080), "Prometheus to a shard's metrics");
    });

    it("lets into a team's own pods only its namespace, Flagger and its Prometheus: no other team, no other pod of flagger-system", () => {
        const into = (team: string) => table.cells.filter((c) => c.pod.namespace === team && c.pod.name === teamPodName && c.reachable).map((c) => c.source.name);
        for (const team of ["team1", "team2", "team3"]) {
            const own = table.sources.filter((s) => s.team === team).map((s) => s.name);
            assert.deepEqual(into(team), [...own, "flagger", "flagger-prometheus"], team);
        }
    });

    it("needs the team policy's pod selector on flagger-system: without it, any pod there reaches every team's pods", () => {
        const loose = {
            ...table.state,
            policies: table.state.policies.map((p) => p.metadata.name !== "platform-isolation" ? p : {
                ...p, spec: { ...p.spec, ingress: p.spec.ingress.map((rule: any) => ({ ...rule, from: rule.from.map(({ podSelector, ...peer }: any) => peer.namespaceSelector ? peer : { podSelector, ...peer }) })) },
            }),
        };
        const other = table.sources.find((s) => s.name === "another pod of flagger-system")!;
        for (const pod of table.pods.filter((p) => p.name === teamPodName)) {
            assert.ok(!decideConnection(table.state, other, pod, pod.ports[0]).reachable, pod.namespace);
            assert.ok(decideConnection(loose, other, pod, pod.ports[0]).reachable, pod.namespace);
        }
    });

    it("models the NetworkPolicy rules: default allow, ports by number and name, both peers' selectors, egress", () => {
        const pod: Pod = { namespace: "a", name: "p", labels: { app: "p" }, ports: [{ port: 80, name: "http" }] };
        const from = { namespace: "b", labels: { app: "q" } };
        assert.ok(decideConnection({ policies: [], namespaces: {} }, from, pod, pod.ports[0]).reachable, "no policy: allowed");
        const only = (spec: Record<string, unknown>, namespace = "a") => ({ policies: [{ metadata: { name: "x", namespace }, spec }], namespaces: { b: { team: "b" } } });
        assert.ok(!decideConnection(only({ podSelector: {} }), from, pod, pod.ports[0]).reachable, "selected, no rule: denied");
        assert.ok(decideConnection(only({ podSelector: {}, ingress: [{ ports: [{ port: "http" }] }] }), from, pod, pod.ports[0]).reachable, "named port");
        assert.ok(!decideConnection(only({ podSelector: {}, ingress: [{ ports: [{ port: 81 }] }] }), from, pod, pod.ports[0]).reachable, "other port");
        assert.ok(decideConnection(only({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "b" } }, podSelector: { matchLabels: { app: "q" } } }] }] }), from, pod, pod.ports[0]).reachable);
        assert.ok(!decideConnection(only({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "b" } }, podSelector: { matchLabels: { app: "z" } } }] }] }), from, pod, pod.ports[0]).reachable);
        assert.ok(!decideConnection(only({ podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }), from, pod, pod.ports[0]).reachable, "podSelector alone: own namespace");
        assert.ok(!decideConnection(only({ podSelector: {}, policyTypes: ["Egress"] }, "b"), from, pod, pod.ports[0]).reachable, "egress denied at the source");
        assert.ok(decideConnection(only({ podSelector: {}, policyTypes: ["Egress"], egress: [{}] }, "b"), from, pod, pod.ports[0]).reachable);
    });

    it("is the table docs/fence.md prints (npm run docs:reachability)", () => {
        assert.equal(blockOf(fs.readFileSync(reachabilityDocPath, "utf8"), reachabilityDocCommand), renderReachabilityBlock(table));
    });
});
