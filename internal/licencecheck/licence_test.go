package licencecheck

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/dependencies.md")

// licence is one kind of licence text, recognised by phrases it holds.
type licence struct {
	name       string
	phrases    []string // all must occur, in the text with spaces collapsed and lower case
	allowed    bool
	permissive bool // a file may hold several permissive licences, all named
}

// licences are checked in order: MPL-2.0, EUPL and LGPL texts name GPL
// licences (as secondary or compatible licences), so they come before the
// copyleft licences that forbid Plein's licence, which come before the
// permissive ones, so that a text naming a GPL is never taken for a
// permissive licence.
var licences = []licence{
	{name: "MPL-2.0", phrases: []string{"mozilla public license version 2.0"}, allowed: true},
	{name: "EUPL", phrases: []string{"european union public licence"}, allowed: true},
	{name: "LGPL", phrases: []string{"gnu lesser general public license"}, allowed: true},
	{name: "AGPL", phrases: []string{"gnu affero general public license"}},
	{name: "SSPL", phrases: []string{"server side public license"}},
	{name: "GPL", phrases: []string{"gnu general public license"}},
	{name: "Apache-2.0", permissive: true, phrases: []string{"apache license", "version 2.0"}, allowed: true},
	{name: "MIT", permissive: true, phrases: []string{"permission is hereby granted, free of charge"}, allowed: true},
	{name: "BSD", permissive: true, phrases: []string{"redistribution and use in source and binary forms"}, allowed: true},
	{name: "ISC", permissive: true, phrases: []string{"permission to use, copy, modify, and/or distribute this software for any purpose"}, allowed: true},
	{name: "public domain", permissive: true, phrases: []string{"dedicated to the public domain"}, allowed: true},
	{name: "Unlicense", permissive: true, phrases: []string{"free and unencumbered software released into the public domain"}, allowed: true},
}

var spaces = regexp.MustCompile(`\s+`)

// classify names the licence of text, and whether Plein may use it; an
// unknown text is not allowed. A text holding several permissive licences
// is named after all of them.
func classify(text string) (string, bool) {
	t := strings.ToLower(spaces.ReplaceAllString(text, " "))
	var found []string
	for _, l := range licences {
		if !containsAll(t, l.phrases) {
			continue
		}
		if !l.permissive {
			return l.name, l.allowed
		}
		found = append(found, l.name)
	}
	if len(found) == 0 {
		return "unknown", false
	}
	return strings.Join(found, " and "), true
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func TestClassify(t *testing.T) {
	tests := []struct {
		text    string
		name    string
		allowed bool
	}{
		{"MIT License\n\nPermission is hereby granted, free of charge, to any person", "MIT", true},
		{"Redistribution and use in source and\n binary forms, with or without", "BSD", true},
		{"Apache License\n Version 2.0, January 2004", "Apache-2.0", true},
		{"Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee", "ISC", true},
		{"Mozilla Public License Version 2.0\n====", "MPL-2.0", true},
		{"GNU LESSER GENERAL PUBLIC LICENSE\n Version 3", "LGPL", true},
		{"EUROPEAN UNION PUBLIC LICENCE v. 1.2", "EUPL", true},
		{"GNU GENERAL PUBLIC LICENSE\n Version 3, 29 June 2007", "GPL", false},
		{"GNU AFFERO GENERAL PUBLIC LICENSE", "AGPL", false},
		{"Server Side Public License VERSION 1", "SSPL", false},
		{"Mozilla Public License Version 2.0 ... means either the GNU General Public License, Version 2.0, the GNU Lesser General Public License, Version 2.1, the GNU Affero General Public License", "MPL-2.0", true},
		{"SQLite Is Public Domain\nAll of the code has been dedicated to the public\ndomain by the authors.", "public domain", true},
		{"All rights reserved. Do not copy.", "unknown", false},
		{"Copyright (c) 2012 The Go Authors. Redistribution and use in source and binary forms ... Apache License Version 2.0 ... Permission is hereby granted, free of charge", "Apache-2.0 and MIT and BSD", true},
	}
	for _, tt := range tests {
		name, allowed := classify(tt.text)
		if name != tt.name || allowed != tt.allowed {
			t.Errorf("classify(%.30q) = %s, %v; want %s, %v", tt.text, name, allowed, tt.name, tt.allowed)
		}
	}
}

// module is a module Plein's packages or their tests are built from.
type module struct{ path, version, dir string }

// dependencies lists the modules of every package of Plein and its tests.
func dependencies(t *testing.T) []module {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-test",
		"-f", "{{with .Module}}{{if not .Main}}{{.Path}}\t{{.Version}}\t{{.Dir}}{{end}}{{end}}", "plein/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var mods []module
	for line := range strings.Lines(string(out)) {
		f := strings.Split(strings.TrimSpace(line), "\t")
		if len(f) != 3 {
			continue
		}
		m := module{path: f[0], version: f[1], dir: f[2]}
		if !slices.Contains(mods, m) {
			mods = append(mods, m)
		}
	}
	slices.SortFunc(mods, func(a, b module) int { return strings.Compare(a.path, b.path) })
	return mods
}

// notLicences are files named like licences that license no code Plein is
// built from, with the reason.
var notLicences = map[string]string{
	"modernc.org/memory/LICENSE-LOGO": "the source of the project's logo image, which is not compiled in",
}

// moduleLicence classifies every licence file at the root of a module and
// returns their names joined, and whether all are allowed. A file that
// gathers the licences of third-party components (LICENSE-3RD-PARTY) is
// left out: those components that are Go modules are checked on their own.
func moduleLicence(path, dir string) (string, bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false, err
	}
	var names []string
	allowed := true
	for _, e := range entries {
		n := strings.ToLower(e.Name())
		if e.IsDir() || !(strings.HasPrefix(n, "licen") || strings.HasPrefix(n, "copying") || n == "unlicense") ||
			strings.Contains(n, "3rd") || strings.Contains(n, "third") || notLicences[path+"/"+e.Name()] != "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", false, err
		}
		name, ok := classify(string(b))
		allowed = allowed && ok
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "", false, fmt.Errorf("no licence file in %s", filepath.Base(dir))
	}
	return strings.Join(names, " + "), allowed, nil
}

// TestDependencyLicences reads the licence of every module and fails on one
// that Plein may not be distributed with, or that it cannot recognise. The
// list it finds is docs/dependencies.md; run with -update after adding a
// dependency.
func TestDependencyLicences(t *testing.T) {
	mods := dependencies(t)
	if len(mods) == 0 {
		t.Fatal("go list named no modules")
	}
	var doc strings.Builder
	doc.WriteString("# Dependencies and their licences\n\n")
	doc.WriteString("Every module Plein or its tests are built from, with the licence its licence file holds.\n")
	doc.WriteString("`go test ./internal/licencecheck` fails when a module's licence is not permissive (MIT, BSD,\n")
	doc.WriteString("Apache-2.0, ISC and the like), MPL-2.0, LGPL or EUPL, or when this list is out of date;\n")
	doc.WriteString("`go test ./internal/licencecheck -update` rewrites it.\n\n")
	doc.WriteString("| module | version | licence |\n|---|---|---|\n")
	for _, m := range mods {
		if m.dir == "" {
			t.Errorf("%s %s is not downloaded: run go mod download", m.path, m.version)
			continue
		}
		name, allowed, err := moduleLicence(m.path, m.dir)
		if err != nil {
			t.Errorf("%s %s: %v", m.path, m.version, err)
			continue
		}
		if !allowed {
			t.Errorf("%s %s has a licence Plein may not be distributed with: %s", m.path, m.version, name)
		}
		fmt.Fprintf(&doc, "| %s | %s | %s |\n", m.path, m.version, name)
	}
	const listed = "../../docs/dependencies.md"
	if *update {
		if err := os.WriteFile(listed, []byte(doc.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(listed)
	if err != nil {
		t.Fatalf("reading the list: %v (run with -update)", err)
	}
	if string(want) != doc.String() {
		t.Errorf("docs/dependencies.md is out of date: run go test ./internal/licencecheck -update")
	}
}
