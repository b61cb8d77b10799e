package operator

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

const exampleDir = "../../../examples/k6-operator"

func load(t *testing.T) *Example {
	t.Helper()
	ex, err := Load(exampleDir)
	require.NoError(t, err)
	return ex
}

// makeVar returns the value of `NAME := value` in the Makefile.
func makeVar(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("../../../Makefile")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^` + name + `\s*:?=\s*(\S+)\s*$`).FindSubmatch(data)
	require.NotNil(t, m, "Makefile sets %s", name)
	return string(m[1])
}

func TestTestRun(t *testing.T) {
	t.Parallel()
	r := load(t).TestRun
	require.Equal(t, "k6.io/v1alpha1", r.APIVersion)
	require.Equal(t, "TestRun", r.Kind)
	require.NotEmpty(t, r.Metadata.Name)
	require.GreaterOrEqual(t, r.Spec.Parallelism, 2, "a distributed test")
	file := r.Spec.Script.ConfigMap.File
	require.NotEmpty(t, file)
	require.FileExists(t, filepath.Join(exampleDir, file), "the script the TestRun runs is in the example")
}

// TestKustomization: `kubectl apply -k` makes the ConfigMap the TestRun
// reads, under the name it refers to, from the script file, and applies
// the TestRun.
func TestKustomization(t *testing.T) {
	t.Parallel()
	ex := load(t)
	k, cm := ex.Kustomization, ex.TestRun.Spec.Script.ConfigMap
	require.Equal(t, []string{"testrun.yaml"}, k.Resources)
	require.Len(t, k.ConfigMapGenerator, 1)
	require.Equal(t, cm.Name, k.ConfigMapGenerator[0].Name)
	require.Contains(t, k.ConfigMapGenerator[0].Files, cm.File, "the ConfigMap's key is the file name")
	require.True(t, k.GeneratorOptions.DisableNameSuffixHash, "kustomize does not rename the TestRun's reference")
}

// TestVersions: the image is built with the Makefile's k6 and xk6 and
// go.mod's Go, by the Makefile's xk6 command.
func TestVersions(t *testing.T) {
	t.Parallel()
	ex := load(t)
	require.Equal(t, makeVar(t, "K6_VERSION"), ex.DockerArgs["K6_VERSION"])
	require.Equal(t, makeVar(t, "XK6_VERSION"), ex.DockerArgs["XK6_VERSION"])

	gomod, err := os.ReadFile("../../../go.mod")
	require.NoError(t, err)
	goLine := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	require.NotNil(t, goLine)
	require.Equal(t, string(goLine[1]), ex.DockerArgs["GO_VERSION"], "the builder's Go is go.mod's")

	const with = " --with github.com/xk6-tracing/xk6-tracing=."
	makefile, err := os.ReadFile("../../../Makefile")
	require.NoError(t, err)
	require.Contains(t, string(makefile), "xk6 build $(K6_VERSION)"+with)
	require.Contains(t, ex.Dockerfile, "xk6 build ${K6_VERSION}"+with)
	require.Contains(t, ex.Dockerfile, "go install go.k6.io/xk6/cmd/xk6@${XK6_VERSION}")
}

// TestImage: the runner image is the one the Dockerfile and the README
// build and push, tagged with the k6 version it contains.
func TestImage(t *testing.T) {
	t.Parallel()
	ex := load(t)
	image := ex.TestRun.Spec.Runner.Image
	name, tag, ok := strings.Cut(image, ":")
	require.True(t, ok, "%s has a tag", image)
	require.NotContains(t, tag, "/", "%s: a tag, not a registry port", image)
	require.Equal(t, ex.DockerArgs["K6_VERSION"], tag)
	require.True(t, strings.HasSuffix(name, "/k6-tracing"), name)

	build := "docker build -f examples/k6-operator/Dockerfile -t " + image + " ."
	require.Contains(t, ex.Dockerfile, build)
	readme, err := os.ReadFile(filepath.Join(exampleDir, "README.md"))
	require.NoError(t, err)
	require.Contains(t, string(readme), build)
	require.Contains(t, string(readme), "docker push "+image)
}

// TestEnvironment reads the runner pods' OTEL_* variables as the
// extension does: the collector's endpoint, the service name, and the
// resource attributes that tell the pods apart.
func TestEnvironment(t *testing.T) {
	t.Parallel()
	env, err := load(t).TestRun.Environ("xk6-tracing-1-x7k2p", "load")
	require.NoError(t, err)
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		require.NotContains(t, v, "$(", "%s: every reference resolves", k)
		vars[k] = v
	}
	require.NotEmpty(t, vars["BASE_URL"])
	base := vars[spans.EnvEndpoint]
	require.Regexp(t, `^http://[a-z0-9.-]+:4318$`, base, "the collector's OTLP/HTTP receiver")

	cfg, err := spans.FromEnv(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	require.NoError(t, err)
	require.Equal(t, base+"/v1/traces", cfg.Endpoint)
	require.Equal(t, spans.HTTPProtobuf, cfg.Protocol)
	require.Equal(t, "k6", cfg.ServiceName)
	require.Contains(t, cfg.Resource, spans.Attribute{Key: "service.instance.id", Value: "xk6-tracing-1-x7k2p"})
	require.Contains(t, cfg.Resource, spans.Attribute{Key: "k8s.namespace.name", Value: "load"})
}

func TestEnvironUnsupported(t *testing.T) {
	t.Parallel()
	var r TestRun
	r.Spec.Runner.Env = []EnvVar{{Name: "NODE", ValueFrom: &EnvVarSource{FieldRef: &ObjectFieldSelector{FieldPath: "spec.nodeName"}}}}
	_, err := r.Environ("p", "n")
	require.ErrorContains(t, err, `env NODE: field "spec.nodeName" is not supported here`)
	r.Spec.Runner.Env = []EnvVar{{Name: "TOKEN", ValueFrom: &EnvVarSource{}}}
	_, err = r.Environ("p", "n")
	require.ErrorContains(t, err, "env TOKEN: only valueFrom.fieldRef is supported here")
}

// TestRunnerFlags: the flags of k6-operator's pkg/segmentation and runner
// job for each runner.
func TestRunnerFlags(t *testing.T) {
	t.Parallel()
	var r TestRun
	r.Metadata.Name = "demo"
	r.Spec.Parallelism = 4
	seq := "--execution-segment-sequence=0,1/4,2/4,3/4,1"
	tags := func(i string) []string { return []string{"--tag", "instance_id=" + i, "--tag", "testrun_name=demo"} }
	require.Equal(t, append([]string{"--execution-segment=0:1/4", seq}, tags("1")...), r.RunnerFlags(1))
	require.Equal(t, append([]string{"--execution-segment=1/4:2/4", seq}, tags("2")...), r.RunnerFlags(2))
	require.Equal(t, append([]string{"--execution-segment=3/4:1", seq}, tags("4")...), r.RunnerFlags(4))
	r.Spec.Parallelism = 1
	require.Equal(t, tags("1"), r.RunnerFlags(1), "one runner runs the whole test")
}

func TestExpand(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"POD": "p-1", "EMPTY": ""}
	tests := []struct{ name, in, want string }{
		{"a reference", "id=$(POD)", "id=p-1"},
		{"two references", "$(POD),$(POD)", "p-1,p-1"},
		{"an empty variable", "a$(EMPTY)b", "ab"},
		{"an unknown reference stays", "$(NODE)", "$(NODE)"},
		{"an escaped dollar", "$$(POD)", "$(POD)"},
		{"a lone dollar", "cost: 5$", "cost: 5$"},
		{"an unclosed reference", "$(POD", "$(POD"},
		{"a shell variable is not expanded", "$POD", "$POD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, expand(tt.in, vars))
		})
	}
}
