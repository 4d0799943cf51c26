package dev.akt;

import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** java.util.concurrent.Flow at both ends of a stream (Source.fromPublisher, Sink.toSubscriber). */
final class FlowAdapters {
    /** Marks a Source spec whose function is made anew for each run (one subscription each). */
    static final Object LAZY = new Object();
    private static final int BATCH = 16;

    private FlowAdapters() {
    }

    /** A publisher's items for an unfold source: requested BATCH at a time as the stream pulls. */
    static final class PublisherBridge<T> implements Flow.Subscriber<T> {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<Object> items = new ArrayDeque<>();
        private Flow.Subscription subscription;
        private long outstanding;
        private boolean complete;
        private Throwable error;

        PublisherBridge(Flow.Publisher<? extends T> publisher) {
            publisher.subscribe(this);
        }

        /** The next item (waiting on the worker for the publisher), or END_OF_STREAM. */
        Object next() {
            lock.lock();
            try {
                while (true) {
                    if (!items.isEmpty()) {
                        return items.poll();
                    }
                    if (error != null) {
                        throw new IllegalStateException("the publisher failed", error);
                    }
                    if (complete) {
                        return StreamStage.END_OF_STREAM;
                    }
                    if (subscription != null && outstanding == 0) {
                        outstanding = BATCH;
                        Flow.Subscription s = subscription;
                        lock.unlock();
                        try {
                            s.request(BATCH);
                        } finally {
                            lock.lock();
                        }
                        continue;
                    }
                    changed.await(50, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the publisher", e);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            lock.lock();
            try {
                subscription = s;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onNext(T item) {
            lock.lock();
            try {
                items.add(item);
                if (outstanding > 0) {
                    outstanding--;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onError(Throwable t) {
            lock.lock();
            try {
                error = t;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onComplete() {
            lock.lock();
            try {
                complete = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** A subscriber at the end of a stream: each element waits for its demand. */
    static final class SubscriberBridge<T> implements Flow.Subscription {
        private final Flow.Subscriber<? super T> subscriber;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition more = lock.newCondition();
        private long demand;
        private boolean cancelled;
        private volatile Stream<?> stream;

        SubscriberBridge(Flow.Subscriber<? super T> subscriber) {
            this.subscriber = subscriber;
        }

        void subscribe() {
            subscriber.onSubscribe(this);
        }

        void attach(Stream<?> s) {
            stream = s;
            if (cancelled) {
                s.cancel();
            }
            s.ended().whenComplete((rc, t) -> {
                if (cancelled) {
                    return;
                }
                if (rc != null && rc == 0) {
                    subscriber.onComplete();
                } else {
                    s.result().whenComplete((v, e) -> subscriber.onError(e != null ? e.getCause() != null
                            ? e.getCause() : e : new IllegalStateException("stream failed")));
                }
            });
        }

        void onElement(T x) {
            lock.lock();
            try {
                while (demand == 0 && !cancelled) {
                    more.await(50, TimeUnit.MILLISECONDS);
                }
                if (cancelled) {
                    return;
                }
                demand--;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for demand", e);
            } finally {
                lock.unlock();
            }
            subscriber.onNext(x);
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 (rule 3.9)"));
                return;
            }
            lock.lock();
            try {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                more.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                cancelled = true;
                more.signalAll();
            } finally {
                lock.unlock();
            }
            Stream<?> s = stream;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
