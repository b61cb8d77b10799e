package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

const licenseFile = "LICENSE"

// checkLicense accepts a root LICENSE of one of Grafana's accepted licenses
// (https://grafana.com/legal/plugins/#accepted-licenses), as the checker of
// grafana/xk6#582 does.
func checkLicense(_ context.Context, s *state) result {
	data, err := os.ReadFile(filepath.Join(s.dir, licenseFile))
	if errors.Is(err, os.ErrNotExist) {
		return failed("no root `%s` file found", licenseFile)
	}
	if err != nil {
		return checkError(err)
	}
	license := identifyLicense(string(data))
	if license == "" {
		return failed("`%s` is not an accepted license", licenseFile)
	}
	return passed("found `%s` as `%s` license", licenseFile, license)
}

// spdxLicenses maps the accepted SPDX identifiers, upper-cased, to names.
var spdxLicenses = map[string]string{
	"AGPL-3.0": "AGPL-3.0", "AGPL-3.0-ONLY": "AGPL-3.0", "AGPL-3.0-OR-LATER": "AGPL-3.0",
	"APACHE-2.0":   "Apache-2.0",
	"BSD-2-CLAUSE": "BSD-2-Clause", "BSD-3-CLAUSE": "BSD-3-Clause",
	"GPL-3.0": "GPL-3.0", "GPL-3.0-ONLY": "GPL-3.0", "GPL-3.0-OR-LATER": "GPL-3.0",
	"LGPL-3.0": "LGPL-3.0", "LGPL-3.0-ONLY": "LGPL-3.0", "LGPL-3.0-OR-LATER": "LGPL-3.0",
	"MIT": "MIT",
}

// identifyLicense returns the accepted license a LICENSE text is, or "":
// the first SPDX-License-Identifier line decides; otherwise the standard
// texts' signatures are tried in xk6's order.
func identifyLicense(contents string) string {
	text := strings.ToUpper(contents)
	const prefix = "SPDX-LICENSE-IDENTIFIER:"
	for _, line := range strings.Split(text, "\n") {
		if id, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
			return spdxLicenses[strings.TrimSpace(id)]
		}
	}
	has := func(s ...string) bool {
		for _, x := range s {
			if !strings.Contains(text, x) {
				return false
			}
		}
		return true
	}
	switch {
	case has("GNU AFFERO GENERAL PUBLIC LICENSE", "VERSION 3"):
		return "AGPL-3.0"
	case has("GNU LESSER GENERAL PUBLIC LICENSE", "VERSION 3"):
		return "LGPL-3.0"
	case has("GNU GENERAL PUBLIC LICENSE", "VERSION 3"):
		return "GPL-3.0"
	case has("APACHE LICENSE", "VERSION 2.0"):
		return "Apache-2.0"
	case has("PERMISSION IS HEREBY GRANTED, FREE OF CHARGE, TO ANY PERSON OBTAINING A COPY OF THIS SOFTWARE"):
		return "MIT"
	case has("REDISTRIBUTION AND USE IN SOURCE AND BINARY FORMS", "NEITHER THE NAME"):
		return "BSD-3-Clause"
	case has("REDISTRIBUTION AND USE IN SOURCE AND BINARY FORMS"):
		return "BSD-2-Clause"
	}
	return ""
}
