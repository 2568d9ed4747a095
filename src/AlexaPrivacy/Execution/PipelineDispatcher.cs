// Background account work posts its writes and questions here; the pipeline thread runs them,
// because PowerShell allows Write*, ShouldProcess and progress only on that thread.
using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace AlexaPrivacy.Execution
{
    internal sealed class PipelineDispatcher : IDisposable
    {
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
        private readonly int _pipelineThreadId = Thread.CurrentThread.ManagedThreadId;

        public bool OnPipelineThread => Thread.CurrentThread.ManagedThreadId == _pipelineThreadId;

        public void Post(Action action)
        {
            if (OnPipelineThread)
            {
                action();
                return;
            }
            _queue.Add(action);
        }

        public Task<T> InvokeAsync<T>(Func<T> function)
        {
            var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(() =>
            {
                try
                {
                    completion.SetResult(function());
                }
                catch (Exception e)
                {
                    completion.SetException(e);
                }
            });
            return completion.Task;
        }

        /// <summary>Runs posted actions on the pipeline thread until <paramref name="until"/> completes.</summary>
        public void Pump(Task until)
        {
            while (!until.IsCompleted)
            {
                if (_queue.TryTake(out var action, 50))
                {
                    action();
                }
            }
            Drain();
        }

        /// <summary>Runs what is queued now, without waiting.</summary>
        public void Drain()
        {
            while (_queue.TryTake(out var action))
            {
                action();
            }
        }

        public void Dispose() => _queue.Dispose();
    }
}
