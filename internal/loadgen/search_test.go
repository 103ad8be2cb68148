package loadgen

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fakeServer answers a run like a server that keeps p99 at 10ms up to
// capacity req/s and at 300ms above, or fails with errors above errorsAbove.
type fakeServer struct {
	capacity, errorsAbove float64
	failAt                float64 // Run itself fails at this rate
	configs               []Config
}

func (f *fakeServer) run(_ context.Context, cfg Config) (Result, error) {
	f.configs = append(f.configs, cfg)
	if cfg.Rate == f.failAt {
		return Result{Rate: cfg.Rate}, errors.New("cannot open connections")
	}
	res := Result{Rate: cfg.Rate, Completed: 100, Latency: Percentiles{P99: 10 * time.Millisecond}}
	if cfg.Rate > f.capacity {
		res.Latency.P99 = 300 * time.Millisecond
	}
	if f.errorsAbove > 0 && cfg.Rate > f.errorsAbove {
		res.Errors = 1
	}
	return res, nil
}

func TestFindMaxRateSearch(t *testing.T) {
	tests := []struct {
		name         string
		fake         fakeServer
		start, limit float64
		wantLow      float64 // the result must be in [wantLow, wantHigh]
		wantHigh     float64
		wantRamp     []float64 // rates of the first runs
		wantRuns     int
		wantErr      string
	}{
		{
			name: "latency limit", fake: fakeServer{capacity: 3000, errorsAbove: math.Inf(1)},
			start: 100, limit: 100_000,
			wantLow: 3000 - 1600.0/32, wantHigh: 3000,
			wantRamp: []float64{100, 200, 400, 800, 1600, 3200}, wantRuns: 6 + bisections,
		},
		{
			name: "errors limit", fake: fakeServer{capacity: math.Inf(1), errorsAbove: 700},
			start: 100, limit: 100_000,
			wantLow: 700 - 400.0/32, wantHigh: 700,
			wantRamp: []float64{100, 200, 400, 800},
		},
		{
			name: "everything passes up to the limit", fake: fakeServer{capacity: math.Inf(1)},
			start: 100, limit: 1000,
			wantLow: 1000, wantHigh: 1000,
			wantRamp: []float64{100, 200, 400, 800, 1000}, wantRuns: 5,
		},
		{
			name: "start already fails", fake: fakeServer{capacity: 60},
			start: 100, limit: 1000,
			wantLow: 60 - 100.0/32, wantHigh: 60,
			wantRamp: []float64{100, 50},
		},
		{
			name: "a run fails", fake: fakeServer{capacity: math.Inf(1), failAt: 400},
			start: 100, limit: 1000,
			wantLow: 200, wantHigh: 200,
			wantRamp: []float64{100, 200, 400}, wantRuns: 3,
			wantErr: "run at 400 req/s: cannot open connections",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := Config{Targets: []string{"http://127.0.0.1:1/"}, Connections: 7, Duration: time.Hour}
			best, runs, err := findMaxRate(context.Background(), base, 100*time.Millisecond, tt.start, tt.limit, 250*time.Millisecond, tt.fake.run)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
			if best < tt.wantLow || best > tt.wantHigh {
				t.Errorf("best rate %v, want within [%v, %v]", best, tt.wantLow, tt.wantHigh)
			}
			if len(runs) != len(tt.fake.configs) {
				t.Fatalf("%d results for %d runs", len(runs), len(tt.fake.configs))
			}
			if tt.wantRuns > 0 && len(runs) != tt.wantRuns {
				t.Errorf("%d runs, want %d", len(runs), tt.wantRuns)
			}
			for i, rate := range tt.wantRamp {
				if i >= len(runs) || runs[i].Rate != rate {
					t.Fatalf("run %d: want rate %v; runs were %v", i, rate, rates(runs))
				}
			}
			for _, cfg := range tt.fake.configs {
				if cfg.Duration != 250*time.Millisecond || cfg.Connections != 7 {
					t.Errorf("run with duration %v and %d connections, want the step and the base's 7", cfg.Duration, cfg.Connections)
				}
			}
		})
	}
}

func rates(runs []Result) []float64 {
	var r []float64
	for _, res := range runs {
		r = append(r, res.Rate)
	}
	return r
}

func TestFindMaxRateRejectsBadArguments(t *testing.T) {
	base := Config{Targets: []string{"http://127.0.0.1:1/"}, Connections: 1, Duration: time.Second}
	tests := []struct {
		name         string
		maxP99       time.Duration
		start, limit float64
		step         time.Duration
		want         string
	}{
		{"no latency bound", 0, 10, 100, time.Second, "maximum p99 must be positive"},
		{"zero start", time.Second, 0, 100, time.Second, "start rate must be positive"},
		{"limit below start", time.Second, 10, 5, time.Second, "at least the start rate"},
		{"infinite limit", time.Second, 10, math.Inf(1), time.Second, "must be finite"},
		{"negative step", time.Second, 10, 100, -time.Second, "step must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := FindMaxRate(context.Background(), base, tt.maxP99, tt.start, tt.limit, tt.step)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestFindMaxRateAgainstServer(t *testing.T) {
	srv, _ := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	}), nil)
	base := Config{Targets: []string{srv.URL + "/"}, Connections: 10}
	best, runs, err := FindMaxRate(context.Background(), base, 2*time.Second, 100, 400, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if best != 400 || len(runs) != 3 {
		t.Fatalf("best %v after %d runs, want 400 after 3 (100, 200, 400)", best, len(runs))
	}
	for _, res := range runs {
		if want := int64(res.Rate / 5); res.Completed != want || res.Errors != 0 {
			t.Errorf("run at %v req/s: %d completed, %d errors; want %d and none", res.Rate, res.Completed, res.Errors, want)
		}
	}
}
