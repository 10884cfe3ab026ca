// Renders a Helm chart's templates as `helm template` does, for the chart's spec
// (test/deploy/helmChart.test.ts), on a machine that cannot download Helm: Go's text/template
// and the Sprig functions are Helm's template engine, and the few functions Helm adds (include,
// tpl, required, toYaml, fromYaml, lookup) are defined below as Helm defines them
// (helm.sh/helm/v3/pkg/engine/funcs.go). Values are the chart's values.yaml deep-merged with each
// -f file in order. Dependencies (subcharts) are not rendered.
//
// Usage: go run render.go <chart dir> <release name> <namespace> [values.yaml ...]
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

func main() {
	if len(os.Args) < 4 {
		fail("usage: render <chart dir> <release name> <namespace> [values.yaml ...]")
	}
	chartDir, release, namespace := os.Args[1], os.Args[2], os.Args[3]
	chart := readYaml(filepath.Join(chartDir, "Chart.yaml"))
	values := readYaml(filepath.Join(chartDir, "values.yaml"))
	for _, file := range os.Args[4:] {
		values = merge(values, readYaml(file))
	}
	name := fmt.Sprint(chart["name"])
	top := map[string]interface{}{
		"Values":  values,
		"Release": map[string]interface{}{"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Chart":   map[string]interface{}{"Name": name, "Version": chart["version"], "AppVersion": chart["appVersion"], "Description": chart["description"]},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": "v1.31.0", "Major": "1", "Minor": "31"},
		},
	}

	root := template.New(name)
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	funcs["toYaml"] = toYaml
	funcs["fromYaml"] = fromYaml
	funcs["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil || value == "" {
			return nil, fmt.Errorf("%s", message)
		}
		return value, nil
	}
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) { return map[string]interface{}{}, nil }
	included := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if included[name] > 100 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		included[name]++
		defer func() { included[name]-- }()
		var out bytes.Buffer
		err := root.ExecuteTemplate(&out, name, data)
		return out.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var out bytes.Buffer
		err = t.Execute(&out, data)
		return out.String(), err
	}
	root.Funcs(funcs).Option("missingkey=zero")

	files, _ := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	sort.Strings(files)
	for _, file := range files {
		text, err := os.ReadFile(file)
		check(err)
		_, err = root.New(filepath.Join(name, "templates", filepath.Base(file))).Parse(string(text))
		check(err)
	}
	for _, file := range files {
		base := filepath.Base(file)
		if strings.HasPrefix(base, "_") || base == "NOTES.txt" {
			continue
		}
		templateName := filepath.Join(name, "templates", base)
		data := withTemplate(top, templateName, filepath.Join(name, "templates"))
		var out bytes.Buffer
		if err := root.ExecuteTemplate(&out, templateName, data); err != nil {
			fail(err.Error())
		}
		rendered := strings.ReplaceAll(out.String(), "<no value>", "")
		if strings.TrimSpace(rendered) == "" {
			continue
		}
		fmt.Printf("---\n# Source: %s\n%s\n", templateName, strings.TrimSpace(rendered))
	}
}

func withTemplate(top map[string]interface{}, name, basePath string) map[string]interface{} {
	data := map[string]interface{}{}
	for key, value := range top {
		data[key] = value
	}
	data["Template"] = map[string]interface{}{"Name": name, "BasePath": basePath}
	return data
}

func merge(base, override map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for key, value := range base {
		out[key] = value
	}
	for key, value := range override {
		if nested, ok := value.(map[string]interface{}); ok {
			if existing, ok := out[key].(map[string]interface{}); ok {
				out[key] = merge(existing, nested)
				continue
			}
		}
		out[key] = value
	}
	return out
}

func readYaml(file string) map[string]interface{} {
	text, err := os.ReadFile(file)
	check(err)
	out := map[string]interface{}{}
	check(yaml.Unmarshal(text, &out))
	return out
}

func toYaml(value interface{}) string {
	out, err := yaml.Marshal(value)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(out), "\n")
}

func fromYaml(text string) map[string]interface{} {
	out := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(text), &out); err != nil {
		out["Error"] = err.Error()
	}
	return out
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, message)
	os.Exit(1)
}
