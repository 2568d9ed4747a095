// Background account work posts its writes and questions here; the pipeline thread runs them,
// because PowerShell allows Write*, ShouldProcess and progress only on that thread.
using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace AlexaPrivacy.Execution
{
    internal sealed class PipelineDispatcher : IDisposable
    {
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
        private readonly int _pipelineThreadId = Thread.CurrentThread.ManagedThreadId;
        private int _closed;

        /// <summary>
        /// Raised (on the pipeline thread) when a write throws PipelineStoppedException: a downstream
        /// command such as Select-Object -First has all it wants, or the pipeline is being stopped.
        /// </summary>
        public event Action PipelineStopped;

        public bool OnPipelineThread => Thread.CurrentThread.ManagedThreadId == _pipelineThreadId;

        /// <summary>True once nothing more can be written: posted actions are then dropped and questions cancelled.</summary>
        public bool IsClosed => Volatile.Read(ref _closed) != 0;

        public void Post(Action action) => Enqueue(() => { if (!IsClosed) action(); });

        private void Enqueue(Action action)
        {
            if (IsClosed) return;
            if (OnPipelineThread)
            {
                Run(action);
                return;
            }
            try
            {
                _queue.Add(action);
            }
            catch (Exception e) when (e is InvalidOperationException || e is ObjectDisposedException)
            {
                // Closed meanwhile: nobody reads the pipeline any more.
            }
        }

        public Task<T> InvokeAsync<T>(Func<T> function)
        {
            var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (IsClosed)
            {
                completion.SetCanceled();
                return completion.Task;
            }
            Enqueue(() =>
            {
                if (IsClosed)
                {
                    completion.TrySetCanceled();
                    return;
                }
                try
                {
                    completion.TrySetResult(function());
                }
                catch (Exception e)
                {
                    completion.TrySetException(e);
                    if (e is PipelineStoppedException) throw;
                }
            });
            // A question posted as the dispatcher closes is never run: it must not leave its asker waiting.
            if (IsClosed) completion.TrySetCanceled();
            return completion.Task;
        }

        /// <summary>Runs posted actions on the pipeline thread until <paramref name="until"/> completes.</summary>
        public void Pump(Task until)
        {
            while (!until.IsCompleted && !IsClosed)
            {
                if (_queue.TryTake(out var action, 50))
                {
                    Run(action);
                }
            }
            Drain();
        }

        /// <summary>Runs what is queued now, without waiting.</summary>
        public void Drain()
        {
            while (!IsClosed && _queue.TryTake(out var action))
            {
                Run(action);
            }
        }

        private void Run(Action action)
        {
            try
            {
                action();
            }
            catch (PipelineStoppedException)
            {
                // StopUpstreamCommandsException (Select-Object -First) is one of these: stop the work
                // that produces, so that it releases its session at once, then let PowerShell unwind.
                Close();
                PipelineStopped?.Invoke();
                throw;
            }
        }

        /// <summary>Stops accepting writes; every action still queued is dropped, which cancels the questions among them.</summary>
        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            try { _queue.CompleteAdding(); } catch (ObjectDisposedException) { }
            try
            {
                // The queued actions of InvokeAsync cancel themselves when run after the close.
                while (_queue.TryTake(out var action))
                {
                    try { action(); } catch (Exception) { }
                }
            }
            catch (ObjectDisposedException) { }
        }

        public void Dispose()
        {
            Close();
            _queue.Dispose();
        }
    }
}
