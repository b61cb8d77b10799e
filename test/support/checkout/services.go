package checkout

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// How long the quick operations take. They are real, measurable spans,
// and together still far shorter than the slow delay, so that "charge
// card" clearly dominates a slow checkout.
const (
	insertTime    = 1500 * time.Microsecond
	authorizeTime = 3 * time.Millisecond
	chargeTime    = 2 * time.Millisecond
)

// errCardDeclined is payments' failure for kind=fail.
var errCardDeclined = errors.New("card declined")

// gateway counts the checkout and places the order with orders: 200 when
// orders answered 200, 502 otherwise. The answer carries the trace id, so
// that a caller can find the trace.
func (s *System) gateway(svc *service, client *http.Client, orders *service) handlerFunc {
	return func(ctx context.Context, kind string) (int, any) {
		s.count(kind)
		traceID := trace.SpanContextFromContext(ctx).TraceID().String()
		status, err := svc.call(ctx, client, orders, "/orders", kind, map[string]any{"item": "book", "quantity": 1})
		if failed(status, err) {
			return http.StatusBadGateway, map[string]any{
				"service": ServiceGateway, "trace_id": traceID, "error": downstream(ServiceOrders, status, err),
			}
		}
		return http.StatusOK, map[string]any{"service": ServiceGateway, "trace_id": traceID, "kind": kind, "status": "paid"}
	}
}

// orders inserts the order, then has payments take the money: 200 when
// payments answered 200, 502 otherwise.
func (s *System) orders(svc *service, client *http.Client, payments *service) handlerFunc {
	return func(ctx context.Context, kind string) (int, any) {
		if err := step(ctx, svc.tracer, "insert order", insertTime, nil); err != nil {
			return http.StatusServiceUnavailable, errorBody(err.Error())
		}
		status, err := svc.call(ctx, client, payments, "/payments", kind, map[string]any{"amount_cents": 4200})
		if failed(status, err) {
			return http.StatusBadGateway, map[string]any{"service": ServiceOrders, "error": downstream(ServicePayments, status, err)}
		}
		return http.StatusOK, map[string]any{"service": ServiceOrders, "status": "placed"}
	}
}

// payments authorizes the card, then charges it. With kind=fail the
// authorization fails and nothing is charged: 500. With kind=slow the
// charge takes the slow delay.
func (s *System) payments(svc *service) handlerFunc {
	return func(ctx context.Context, kind string) (int, any) {
		var declined error
		if kind == KindFail {
			declined = errCardDeclined
		}
		if err := step(ctx, svc.tracer, SpanAuthorize, authorizeTime, declined); err != nil {
			if errors.Is(err, errCardDeclined) {
				return http.StatusInternalServerError, map[string]any{"service": ServicePayments, "error": err.Error()}
			}
			return http.StatusServiceUnavailable, errorBody(err.Error())
		}
		charge := chargeTime
		if kind == KindSlow {
			charge = s.slowDelay
		}
		if err := step(ctx, svc.tracer, SpanCharge, charge, nil); err != nil {
			return http.StatusServiceUnavailable, errorBody(err.Error())
		}
		return http.StatusOK, map[string]any{"service": ServicePayments, "status": "charged"}
	}
}

// step is one INTERNAL operation of a service, a span lasting d (as real
// work would; cut short, and failed, if the caller gives up), that fails
// with fail when it is not nil: the span records the error and has
// status Error with its message as description.
func step(ctx context.Context, tracer trace.Tracer, name string, d time.Duration, fail error) error {
	_, span := tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindInternal))
	defer span.End()
	timer := time.NewTimer(d)
	defer timer.Stop()
	err := fail
	select {
	case <-timer.C:
	case <-ctx.Done():
		err = context.Cause(ctx)
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	return err
}

// failed says whether a call between services did not succeed.
func failed(status int, err error) bool { return err != nil || status != http.StatusOK }

// downstream describes the failure of a call to service.
func downstream(service string, status int, err error) string {
	if err != nil {
		return service + ": " + err.Error()
	}
	return fmt.Sprintf("%s answered %d %s", service, status, http.StatusText(status))
}
