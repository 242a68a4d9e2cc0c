package app

import (
	"fmt"
	"os"

	"manglanh/internal/config"
	"manglanh/internal/filter"
	"manglanh/internal/risk"
)

// NewRiskEngine builds the early-warning engine the way the portal does:
// the embedded rules, extended by risk.rules_file when set. checker may be
// nil (links are then judged on their own, without the block lists); the
// CLI's check and risk commands use it too, so both score alike.
func NewRiskEngine(cfg *config.Config, checker risk.DomainChecker) (*risk.Engine, error) {
	rules, err := risk.DefaultRules()
	if err != nil {
		return nil, err
	}
	if cfg.Risk.RulesFile != "" {
		f, err := os.Open(cfg.Risk.RulesFile)
		if err != nil {
			return nil, fmt.Errorf("risk rules file: %w", err)
		}
		local, err := risk.ParseRules(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("risk rules file %s: %w", cfg.Risk.RulesFile, err)
		}
		rules = rules.Merge(local)
	}
	e, err := risk.New(rules, risk.Options{Domains: checker})
	if err != nil {
		return nil, fmt.Errorf("risk engine: %w", err)
	}
	return e, nil
}

// NewListChecker lets the risk engine ask the DNS filter's loaded lists
// about a linked host: the same matcher, so a link and a lookup agree.
func NewListChecker(reg *filter.Registry, loader *filter.Loader) risk.DomainChecker {
	return listChecker{loader: loader, reg: reg}
}
