// Package operator reads examples/k6-operator: the k6-operator TestRun,
// the kustomization that makes the ConfigMap of its script, and the
// Dockerfile of the runner image. Its tests check that they agree with each
// other and with the Makefile; the integration test runs the script as a
// runner pod would, with RunnerFlags and Environ. Docker and Kubernetes are
// not needed for either.
package operator

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// TestRun is the part of a k6-operator TestRun (k6.io/v1alpha1) the
// example uses.
type TestRun struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Parallelism int `yaml:"parallelism"`
		Script      struct {
			ConfigMap struct {
				Name string `yaml:"name"`
				File string `yaml:"file"`
			} `yaml:"configMap"`
		} `yaml:"script"`
		Runner struct {
			Image string   `yaml:"image"`
			Env   []EnvVar `yaml:"env"`
		} `yaml:"runner"`
	} `yaml:"spec"`
}

// EnvVar is a container's environment variable: a value, or a field of
// the pod.
type EnvVar struct {
	Name      string        `yaml:"name"`
	Value     string        `yaml:"value"`
	ValueFrom *EnvVarSource `yaml:"valueFrom"`
}

// EnvVarSource is where a variable's value comes from.
type EnvVarSource struct {
	FieldRef *ObjectFieldSelector `yaml:"fieldRef"`
}

// ObjectFieldSelector names a field of the pod.
type ObjectFieldSelector struct {
	FieldPath string `yaml:"fieldPath"`
}

// Kustomization is the part of kustomization.yaml the example uses.
type Kustomization struct {
	Resources          []string `yaml:"resources"`
	ConfigMapGenerator []struct {
		Name  string   `yaml:"name"`
		Files []string `yaml:"files"`
	} `yaml:"configMapGenerator"`
	GeneratorOptions struct {
		DisableNameSuffixHash bool `yaml:"disableNameSuffixHash"`
	} `yaml:"generatorOptions"`
}

// Example is examples/k6-operator, read.
type Example struct {
	Dir           string
	TestRun       TestRun
	Kustomization Kustomization
	// DockerArgs are the defaults of the Dockerfile's ARG lines.
	DockerArgs map[string]string
	Dockerfile string
}

// Load reads the example in dir.
func Load(dir string) (*Example, error) {
	ex := &Example{Dir: dir}
	if err := readYAML(filepath.Join(dir, "testrun.yaml"), &ex.TestRun); err != nil {
		return nil, err
	}
	if err := readYAML(filepath.Join(dir, "kustomization.yaml"), &ex.Kustomization); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		return nil, err
	}
	ex.Dockerfile = string(data)
	ex.DockerArgs = dockerArgs(ex.Dockerfile)
	return ex, nil
}

func readYAML(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

var argLine = regexp.MustCompile(`^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*$`)

// dockerArgs returns the ARG lines that have a default.
func dockerArgs(dockerfile string) map[string]string {
	args := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(dockerfile))
	for sc.Scan() {
		if m := argLine.FindStringSubmatch(sc.Text()); m != nil {
			args[m[1]] = m[2]
		}
	}
	return args
}

// RunnerFlags are the flags k6-operator adds to `k6 run` for its runner
// with index (1 to parallelism), as its pkg/resources/jobs/runner.go and
// pkg/segmentation do: the runner's execution segment when there are
// several, and the instance_id and testrun_name tags. The --address and
// --paused flags (the REST API its starter pod resumes the runners by) are
// left out.
func (r *TestRun) RunnerFlags(index int) []string {
	var flags []string
	if n := r.Spec.Parallelism; n > 1 {
		bound := func(i int) string {
			switch i {
			case 0:
				return "0"
			case n:
				return "1"
			}
			return fmt.Sprintf("%d/%d", i, n)
		}
		seq := make([]string, n+1)
		for i := range seq {
			seq[i] = bound(i)
		}
		flags = append(flags,
			"--execution-segment="+bound(index-1)+":"+bound(index),
			"--execution-segment-sequence="+strings.Join(seq, ","))
	}
	return append(flags,
		"--tag", fmt.Sprintf("instance_id=%d", index),
		"--tag", "testrun_name="+r.Metadata.Name)
}

// Environ returns the runner container's environment as NAME=value, as
// the kubelet makes it for a pod named pod in namespace: the pod's
// metadata.name and metadata.namespace fields, and $(NAME) references to
// the variables before it expanded ($$ is a literal $; an unknown
// reference stays as it is). Any other valueFrom is an error.
func (r *TestRun) Environ(pod, namespace string) ([]string, error) {
	fields := map[string]string{"metadata.name": pod, "metadata.namespace": namespace}
	vars := map[string]string{}
	env := make([]string, 0, len(r.Spec.Runner.Env))
	for _, e := range r.Spec.Runner.Env {
		v := expand(e.Value, vars)
		if e.ValueFrom != nil {
			if e.ValueFrom.FieldRef == nil {
				return nil, fmt.Errorf("env %s: only valueFrom.fieldRef is supported here", e.Name)
			}
			f, ok := fields[e.ValueFrom.FieldRef.FieldPath]
			if !ok {
				return nil, fmt.Errorf("env %s: field %q is not supported here", e.Name, e.ValueFrom.FieldRef.FieldPath)
			}
			v = f
		}
		vars[e.Name] = v
		env = append(env, e.Name+"="+v)
	}
	return env, nil
}

// expand replaces $(NAME) with vars[NAME] as Kubernetes expands container
// environment values.
func expand(s string, vars map[string]string) string {
	var b bytes.Buffer
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteByte('$')
				continue
			}
			ref := s[i : i+3+end] // $(NAME)
			if v, ok := vars[ref[2:len(ref)-1]]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(ref)
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}
