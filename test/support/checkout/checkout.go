// Package checkout is a small system of three HTTP services instrumented
// with the OpenTelemetry Go SDK, for tests and the demo that check whether
// an explanation of slow or failed k6 requests names the right service.
// The caller decides what goes wrong, so the answer is known in advance:
//
//	gateway   GET  /checkout?kind=ok|slow|fail  calls orders
//	orders    POST /orders?kind=…                "insert order", calls payments
//	payments  POST /payments?kind=…              "authorize card", "charge card"
//
// With kind=slow, payments' "charge card" takes the slow delay and is by
// far the longest operation; with kind=fail, payments' "authorize card"
// fails with "card declined", payments answers 500 and the others 502.
//
// Each service has its own tracer provider exporting over OTLP/HTTP with
// the SDK's default batch span processor, as a real service would, so that
// spans arrive seconds after the responses, not with them.
//
// checkout.go starts and stops the system; services.go is what the three
// services do; http.go is what they share: the listening server, its
// SERVER spans, and the CLIENT spans of the calls between them.
package checkout

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"sync"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/xk6-tracing/xk6-tracing/test/support/otelservice"
)

// The kinds of checkout a request asks for, in its kind query parameter.
const (
	KindOK   = "ok"   // every service answers quickly and successfully
	KindSlow = "slow" // payments' "charge card" takes the slow delay
	KindFail = "fail" // payments' "authorize card" fails: 500, then 502s
)

// The services' service.name.
const (
	ServiceGateway  = "gateway"
	ServiceOrders   = "orders"
	ServicePayments = "payments"
)

// The names of the payments spans an explanation should point at.
const (
	SpanAuthorize = "authorize card" // the error span of kind=fail
	SpanCharge    = "charge card"    // the slow span of kind=slow
)

// DefaultSlowDelay is how long "charge card" takes for kind=slow unless
// WithSlowDelay says otherwise: long enough to dominate any other
// operation of the system, short enough for a test to run many.
const DefaultSlowDelay = 300 * time.Millisecond

// Option configures Start.
type Option func(*config)

type config struct {
	slowDelay  time.Duration
	batchDelay time.Duration // 0: the SDK's default (5 s, or OTEL_BSP_SCHEDULE_DELAY)
}

// WithSlowDelay sets how long "charge card" takes for kind=slow; tests use
// a small one to stay fast. A delay <= 0 keeps the default.
func WithSlowDelay(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.slowDelay = d
		}
	}
}

// WithBatchDelay sets the batch span processor's schedule delay, the most
// a span waits before export. Without it the SDK's default applies, 5
// seconds: spans arriving late is part of what the system is for. A delay
// <= 0 keeps the default.
func WithBatchDelay(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.batchDelay = d
		}
	}
}

// System is the three running services.
type System struct {
	// URL is the gateway's base URL, e.g. "http://127.0.0.1:41234";
	// requests go to URL + "/checkout?kind=ok".
	URL string

	slowDelay time.Duration
	// services in call order: gateway, orders, payments.
	services  []*service
	providers []*sdktrace.TracerProvider
	transport *http.Transport // the calls between the services

	mu     sync.Mutex
	counts map[string]int

	stopOnce sync.Once
	stopErr  error
}

// Start starts gateway, orders and payments on free 127.0.0.1 ports. Each
// exports its spans over OTLP/HTTP to otlpEndpoint, a base URL such as
// "http://127.0.0.1:4318" to which the traces path /v1/traces is
// appended, under its own service.name: the resource is built from the
// name alone so that OTEL_SERVICE_NAME in the environment cannot rename
// the services a test looks for. ctx bounds the setup only.
func Start(ctx context.Context, otlpEndpoint string, opts ...Option) (*System, error) {
	cfg := config{slowDelay: DefaultSlowDelay}
	for _, o := range opts {
		o(&cfg)
	}
	s := &System{
		slowDelay: cfg.slowDelay,
		counts:    map[string]int{},
		transport: &http.Transport{
			Proxy:                 nil, // loopback only: never through a proxy from the environment
			MaxIdleConnsPerHost:   64,  // k6 runs many VUs through the gateway at once
			IdleConnTimeout:       30 * time.Second,
			ResponseHeaderTimeout: cfg.slowDelay + 10*time.Second,
		},
	}
	// Every bound leaves room for the slow delay: a slow request is not a
	// stuck one.
	client := &http.Client{Transport: s.transport, Timeout: cfg.slowDelay + 15*time.Second}
	writeTimeout := cfg.slowDelay + 30*time.Second

	// Started from the back, so that each service knows the one it calls.
	var next *service
	for _, name := range []string{ServicePayments, ServiceOrders, ServiceGateway} {
		tp, err := otelservice.NewTracerProvider(ctx, name, otlpEndpoint, cfg.batchDelay)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("checkout: %s: %w", name, err), s.Stop(context.Background()))
		}
		s.providers = append([]*sdktrace.TracerProvider{tp}, s.providers...)
		svc, err := listen(name, tp.Tracer(instrumentationName))
		if err != nil {
			return nil, errors.Join(err, s.Stop(context.Background()))
		}
		s.services = append([]*service{svc}, s.services...)
		switch name {
		case ServicePayments:
			svc.serve(http.MethodPost, "/payments", s.payments(svc), writeTimeout)
		case ServiceOrders:
			svc.serve(http.MethodPost, "/orders", s.orders(svc, client, next), writeTimeout)
		case ServiceGateway:
			svc.serve(http.MethodGet, "/checkout", s.gateway(svc, client, next), writeTimeout)
		}
		next = svc
	}
	s.URL = next.url
	return s, nil
}

// SlowDelay is how long "charge card" takes for kind=slow.
func (s *System) SlowDelay() time.Duration { return s.slowDelay }

// Counts returns how many checkouts of each kind the gateway accepted so
// far, keyed by kind ("ok", "slow", "fail"); a request it refused with 400
// is not counted. A request is counted before its response is written, so
// a client that has its answer sees it counted.
func (s *System) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.counts)
}

func (s *System) count(kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[kind]++
}

// Stop shuts the servers down, gateway first so that the requests it is
// still serving can reach the services behind it, then flushes and shuts
// down the tracer providers, so that every span of a finished request has
// been exported when it returns. ctx bounds both; a second Stop returns
// the first one's result.
func (s *System) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		var errs []error
		for _, svc := range s.services {
			errs = append(errs, svc.stop(ctx))
		}
		s.transport.CloseIdleConnections()
		for _, tp := range s.providers {
			errs = append(errs, tp.Shutdown(ctx))
		}
		s.stopErr = errors.Join(errs...)
	})
	return s.stopErr
}
