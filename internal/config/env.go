package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// EnvPrefix starts every environment override.
const EnvPrefix = "MANGLANH_"

// EnvKey returns the environment variable that overrides a YAML key path such
// as "dns.listen" (MANGLANH_DNS_LISTEN).
func EnvKey(path string) string {
	return EnvPrefix + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(path))
}

// applyEnv walks the Config and overrides each key whose variable is set.
// Scalars take their text; lists of scalars take a comma-separated list; lists
// of structures (lists, profiles) take YAML or JSON.
func applyEnv(c *Config, environ []string) error {
	env := map[string]string{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		// MANGLANH_TEST_* belong to the test suite (make test-all), not to
		// the configuration.
		if ok && strings.HasPrefix(k, EnvPrefix) && !strings.HasPrefix(k, EnvPrefix+"TEST_") {
			env[k] = v
		}
	}
	if len(env) == 0 {
		return nil
	}
	var errs []FieldError
	used := map[string]bool{}
	walkKeys(reflect.ValueOf(c).Elem(), "", func(path string, v reflect.Value) {
		name := EnvKey(path)
		s, ok := env[name]
		if !ok {
			return
		}
		used[name] = true
		if err := setFromString(v, s); err != nil {
			errs = append(errs, FieldError{Key: path + " (" + name + ")",
				Vi: fmt.Sprintf("giá trị không hợp lệ: %v", err),
				En: fmt.Sprintf("invalid value: %v", err)})
		}
	})
	var unknown []string
	for k := range env {
		if !used[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		errs = append(errs, FieldError{Key: k,
			Vi: "biến môi trường không ứng với khoá cấu hình nào",
			En: "environment variable matches no config key"})
	}
	if len(errs) > 0 {
		return &Errors{File: "environment", List: errs}
	}
	return nil
}

var durationType = reflect.TypeOf(time.Duration(0))

// walkKeys calls fn for every settable key: scalars, slices and pointers to
// scalars, descending into nested structs.
func walkKeys(v reflect.Value, prefix string, fn func(path string, v reflect.Value)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		path := tag
		if prefix != "" {
			path = prefix + "." + tag
		}
		fv := v.Field(i)
		if f.Type.Kind() == reflect.Struct && f.Type != durationType {
			walkKeys(fv, path, fn)
			continue
		}
		fn(path, fv)
	}
}

func setFromString(v reflect.Value, s string) error {
	if v.Type() == durationType {
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case reflect.Pointer:
		nv := reflect.New(v.Type().Elem())
		if err := setFromString(nv.Elem(), s); err != nil {
			return err
		}
		v.Set(nv)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			var out []string
			trimmed := strings.TrimSpace(s)
			if strings.HasPrefix(trimmed, "[") {
				if err := yaml.Unmarshal([]byte(trimmed), &out); err != nil {
					return err
				}
			} else {
				for _, p := range strings.Split(s, ",") {
					if p = strings.TrimSpace(p); p != "" {
						out = append(out, p)
					}
				}
			}
			v.Set(reflect.ValueOf(out))
			return nil
		}
		nv := reflect.New(v.Type())
		if err := yaml.Unmarshal([]byte(s), nv.Interface()); err != nil {
			return err
		}
		v.Set(nv.Elem())
	default:
		return fmt.Errorf("unsupported kind %s", v.Kind())
	}
	return nil
}

// Keys lists every YAML key path with its environment variable, for docs and
// tests.
func Keys() [][2]string {
	var out [][2]string
	walkKeys(reflect.ValueOf(Default()).Elem(), "", func(path string, _ reflect.Value) {
		out = append(out, [2]string{path, EnvKey(path)})
	})
	return out
}
