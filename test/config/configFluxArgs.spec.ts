// A team's extra fluxd flags (`platform:teams[i].flux.args`), judged against fluxd 1.25.4's own
// flag list and the spellings its flag parser (pflag) reads.
import { strict as assert } from "assert";
import { fluxArg, fluxdFlags } from "../../components/engines/flux1/flags";
import { validateConfig } from "../../config/validate";
import { fluxV1Writes } from "../../components/engines/flux1/fluxV1";

function argProblems(args: unknown[]): readonly string[] {
    const result = validateConfig({
        "github:owner": "org",
        "platform:teams": JSON.stringify([{ name: "team1", flux: { args } }]),
    });
    return result.ok ? [] : result.problems;
}

function argsOf(args: string[]): readonly string[] {
    const result = validateConfig({
        "github:owner": "org",
        "platform:teams": JSON.stringify([{ name: "team1", flux: { args } }]),
    });
    if (!result.ok) {
        assert.fail(result.problems.join("\n"));
    }
    const engine = result.config.teams[0].engine;
    assert.equal(engine.name, "flux1");
    return engine.name === "flux1" ? engine.settings.args : [];
}

describe("config: a team's extra fluxd flags", () => {
    it("refuses every flag that wires the key, the cache, the API, the kubeconfig or the git source", () => {
        const wiring = [
            "--k8s-secret-name=other", "--k8s-secret-volume-mount-path=/tmp", "--k8s-secret-data-key=id_rsa",
            "--ssh-keygen-dir=/tmp", "--ssh-keygen-type=rsa", "--memcached-hostname=evil", "--memcached-port=1",
            "--memcached-service=x", "--listen=:8080", "--listen-metrics=:9", "--manifest-generation=false",
            "--git-url=git@evil:x", "--git-branch=main", "--git-path=x", "--git-poll-interval=1m",
            "--sync-interval=1m", "--sync-state=secret", "--kube-config=/tmp/k", "--kubernetes-kubectl=/bin/sh",
        ];
        for (const arg of wiring) {
            assert.match(fluxArg(arg) ?? "accepted", /^sets --[a-z0-9-]+, which the platform owns: /, arg);
        }
    });

    it("refuses every flag that would widen the team's reach or let it be driven from outside", () => {
        for (const arg of ["--k8s-allow-namespace=default", "--k8s-namespace-whitelist=kube-system",
            "--k8s-default-namespace=other", "--connect=wss://example.com", "--token=abc"]) {
            assert.match(fluxArg(arg) ?? "accepted", /^sets --[a-z0-9-]+, which fences the team in: /, arg);
        }
    });

    it("refuses what makes fluxd exit at start: unknown flags, --help, --version, a lone --", () => {
        assert.match(fluxArg("--no-such-flag") ?? "", /is not a flag of fluxd 1\.25\.4, which exits on an unknown flag/);
        assert.match(fluxArg("--Git-URL=x") ?? "", /is not a flag of fluxd/);
        assert.match(fluxArg("---git-url=x") ?? "", /is not a flag of fluxd/);
        assert.match(fluxArg("--v=4") ?? "", /is not a flag of fluxd/, "klog's flags are not fluxd's");
        assert.match(fluxArg("--help") ?? "", /print its usage and exit/);
        assert.match(fluxArg("--version") ?? "", /prints its version and exits/);
        assert.match(fluxArg("--") ?? "", /ends fluxd's flags/);
        assert.match(fluxArg("registry-disable-scanning") ?? "", /is not a fluxd flag: write it as --name=value/);
    });

    it("refuses the other spellings pflag reads, so no owned flag slips in through one", () => {
        for (const arg of ["-l", "-l:8080", "-l=:8080", "-h", "-git-url=x", "-registry-disable-scanning"]) {
            assert.match(fluxArg(arg) ?? "accepted", /single-dash shorthand/, arg);
        }
        // `--name value` in two items: pflag would take the next item, even another flag, as the value.
        assert.deepEqual(argProblems(["--git-timeout", "--git-url=git@evil:x"]), [
            'platform:teams[0].flux.args[0]: "--git-timeout" --git-timeout needs its value in the same item: write --git-timeout=<value>',
            'platform:teams[0].flux.args[1]: "--git-url=git@evil:x" sets --git-url, which the platform owns: the platform derives it from github:owner and the team\'s repo; set it through its own config key',
        ]);
        assert.match(fluxArg("--log-format") ?? "", /needs its value in the same item/);
    });

    it("checks each value as fluxd's parser would, so a typo does not stop fluxd", () => {
        const bad: Array<[string, RegExp]> = [
            ["--git-readonly=yes", /takes true or false/],
            ["--git-readonly=", /takes true or false/],
            ["--git-timeout=20", /takes a Go duration/],
            ["--git-timeout=2562048h", /at most 2562047h47m16\.854775807s/],
            ["--sync-timeout=0s", /must be longer than zero/],
            ["--registry-burst=ten", /whole number/],
            ["--registry-rps=0", /number above zero/],
            ["--registry-require=gcr", /takes ecr \(fluxd exits on anything else\)/],
            ["--registry-exclude-image=\"a,b", /without quotes/],
            ["--git-verify-signatures-mode=some", /takes none, all, first-parent/],
        ];
        for (const [arg, message] of bad) {
            assert.match(fluxArg(arg) ?? "accepted", message, arg);
        }
    });

    it("lets a team tune its own Flux, --git-readonly included, and passes the args on unchanged", () => {
        const allowed = [
            "--git-readonly", "--git-readonly=true", "--git-readonly=False", "--sync-garbage-collection",
            "--registry-disable-scanning", "--git-timeout=30s", "--git-label=team1-sync", "--git-user=Team One",
            "--registry-exclude-image=docker.io/*,quay.io/*", "--registry-require=ecr", "--registry-require=",
            "--git-verify-signatures-mode=first-parent", "--registry-rps=2.5", "--k8s-verbosity=2",
            "--automation-interval=10m", "--sync-garbage-collection-dry=true", "--log-format=json",
        ];
        for (const arg of allowed) {
            assert.equal(fluxArg(arg), undefined, arg);
        }
        assert.deepEqual(argsOf(allowed), allowed);
    });

    it("keeps --git-readonly meaning what fluxV1Writes reads: every accepted spelling of true is read-only", () => {
        for (const value of ["", "=true", "=True", "=TRUE", "=t", "=T", "=1"]) {
            assert.equal(fluxV1Writes({ image: "x", gitPollInterval: "5m", syncInterval: "5m", args: argsOf([`--git-readonly${value}`]) }), false, value);
        }
        for (const value of ["=false", "=False", "=FALSE", "=f", "=F", "=0"]) {
            assert.equal(fluxV1Writes({ image: "x", gitPollInterval: "5m", syncInterval: "5m", args: argsOf([`--git-readonly${value}`]) }), true, value);
        }
    });

    it("classifies the 68 flags of fluxd 1.25.4 and no others", () => {
        const names = Object.keys(fluxdFlags);
        assert.equal(names.length, 68);
        const byClass = (c: string) => names.filter((n) => fluxdFlags[n].class === c).length;
        assert.deepEqual({ platform: byClass("platform"), fence: byClass("fence"), exits: byClass("exits"), team: byClass("team") },
            { platform: 21, fence: 5, exits: 1, team: 41 });
        for (const name of names.filter((n) => fluxdFlags[n].class !== "team")) {
            assert.ok(fluxdFlags[name].why, `${name} says why a team may not set it`);
        }
    });
});
