import { strict as assert } from "assert";
import { callableUrlCel } from "../../components/fence/reachGuardCel";
import { evaluate } from "../kit/admission";

// The hosts Flagger's pod (flagger-system; search list flagger-system.svc.cluster.local
// svc.cluster.local cluster.local, ndots 5) would resolve into the cluster, as the ReachGuard judges
// a team's URLs. The rows of fieldRows.ts send a few of each kind to the real API servers.
describe("the URLs a team may have Flagger call (components/fence/reachGuardCel.ts, callableUrlCel)", () => {
    const callable = (url: string) => evaluate(callableUrlCel("u"), { u: url, request: { namespace: "team1" } });

    it("admits a Service of the team's own namespace, in every form the cluster's DNS answers, on any port", () => {
        for (const url of ["http://loadtester.team1/", "http://loadtester.team1:8080/gate", "https://loadtester.team1.svc/", "http://loadtester.team1.svc.cluster.local:80/x", "http://loadtester.team1.svc.cluster.local./"]) {
            assert.equal(callable(url), true, url);
        }
    });

    it("admits a name outside the cluster", () => {
        for (const url of ["https://hooks.slack.com/services/T0/B0/X", "https://api.datadoghq.com", "https://prometheus-prod-01.grafana.net/api/prom"]) {
            assert.equal(callable(url), true, url);
        }
    });

    it("refuses another namespace, flagger-system by a single label, pods by name, IP literals, localhost, other schemes and what is no URL", () => {
        for (const url of [
            "http://flagger-prometheus.flagger-system:9090", "http://flagger-prometheus:9090", "http://web.team2/", "http://web.team2.svc/",
            "http://web.team2.svc.cluster.local/", "http://web.team2.svc.cluster.local./", "http://web.team2.svc.example.internal/",
            "http://10-244-1-7.team1.pod.cluster.local/", "http://10-244-1-7.team1.pod/", "http://10.244.1.7:3030/", "http://[fd00::7]:80/",
            "http://2130706433/", "http://localhost:8080/", "http://user@web.team2/", "http://kubernetes.default/", "ftp://files.example.com/",
            "/api/v1/query", "flagger-prometheus.flagger-system:9090", "http://web.team2:x/",
        ]) {
            assert.equal(callable(url), false, url);
        }
    });
});
