// Watches what the current document of a page asks for by itself (scripts, styles, data requests)
// while the module waits for it to render: which requests are unanswered (a hang), whether Amazon
// answered one with a transient status (a half-rendered page), or ended the session (401 or 403, SessionEndedFault.Ends).
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal sealed class PageLoadWatch : IDisposable
    {
        private readonly IPage _page;
        private readonly PageNetwork _network;
        private readonly object _sync = new object();
        private readonly HashSet<IRequest> _inFlight = new HashSet<IRequest>();
        private DateTime _began = DateTime.UtcNow;
        private TaskCompletionSource<bool> _changed = NewChange();

        public PageLoadWatch(IPage page)
        {
            _page = page;
            _network = PageNetwork.Of(page);
            _network.Request += OnRequest;
            _network.Response += OnResponse;
            _network.RequestFailed += OnFailed;
            _network.RequestFinished += OnDone;
            _page.FrameNavigated += OnNavigated;
        }

        /// <summary>The transient status (429, 5xx) of a request of the current document, -1 for one that failed, else 0.</summary>
        public int TransientStatus { get; private set; }

        /// <summary>The path of the request that got <see cref="TransientStatus"/>.</summary>
        public string TransientPath { get; private set; }

        /// <summary>True once a data request was answered as the session-ended rule says (401 or 403): the page must be opened again.</summary>
        public bool SessionEnded { get; private set; }

        /// <summary>How many data requests (fetch/XHR) were answered since the watch began or the document changed.</summary>
        public int DataAnswered { get; private set; }

        /// <summary>How many new documents the main frame has had since the watch began.</summary>
        public int Documents { get; private set; }

        /// <summary>How many requests of the current document are sent and not answered yet.</summary>
        public int Unanswered
        {
            get { lock (_sync) return _inFlight.Count; }
        }

        /// <summary>
        /// Whether requests of the page are still unanswered, within <paramref name="budget"/> of the start
        /// of the watch or of the current document: the page renders after its data arrives, so until then
        /// there is nothing to look for on it. A request that never ends (a long poll) stops counting once
        /// the budget has passed.
        /// </summary>
        public bool Busy(TimeSpan budget) => Unanswered > 0 && DateTime.UtcNow - _began < budget;

        /// <summary>A task that ends at the next change: a request answered or failed, or a new document.</summary>
        public Task NextChange()
        {
            lock (_sync) return _changed.Task;
        }

        private static TaskCompletionSource<bool> NewChange() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private void Changed()
        {
            TaskCompletionSource<bool> done;
            lock (_sync)
            {
                done = _changed;
                _changed = NewChange();
            }
            done.TrySetResult(true);
        }

        private static bool Matters(IRequest request) =>
            request.ResourceType == "fetch" || request.ResourceType == "xhr" || request.ResourceType == "script" || request.ResourceType == "stylesheet";

        private static bool IsData(IRequest request) => request.ResourceType == "fetch" || request.ResourceType == "xhr";

        private void OnRequest(object sender, IRequest request)
        {
            if (!Matters(request)) return;
            lock (_sync) _inFlight.Add(request);
        }

        private void OnResponse(object sender, IResponse response)
        {
            if (!Matters(response.Request)) return;
            lock (_sync) _inFlight.Remove(response.Request);
            if (ThrottlePolicy.IsTransient(response.Status))
            {
                TransientStatus = response.Status;
                TransientPath = PathOf(response.Url);
            }
            if (IsData(response.Request)) DataAnswered++;
            if (SessionEndedFault.Ends(response.Status) && IsData(response.Request)) SessionEnded = true;
            Changed();
        }

        private void OnFailed(object sender, IRequest request)
        {
            bool removed;
            lock (_sync) removed = _inFlight.Remove(request);
            // A request the page itself cancelled on leaving is not a fault of the new document.
            if (removed && request.Frame == _page.MainFrame && !(request.Failure ?? "").Contains("ERR_ABORTED") && TransientStatus == 0)
            {
                TransientStatus = -1;
                TransientPath = PathOf(request.Url);
            }
            if (removed) Changed();
        }

        private void OnDone(object sender, IRequest request)
        {
            bool removed;
            lock (_sync) removed = _inFlight.Remove(request);
            if (removed) Changed();
        }

        /// <summary>A new document in the main frame: what the old one asked for no longer matters.</summary>
        private void OnNavigated(object sender, IFrame frame)
        {
            if (frame != _page.MainFrame) return;
            lock (_sync) _inFlight.Clear();
            _began = DateTime.UtcNow;
            TransientStatus = 0;
            TransientPath = null;
            DataAnswered = 0;
            Documents++;
            Changed();
        }

        private static string PathOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;

        public void Dispose()
        {
            _network.Request -= OnRequest;
            _network.Response -= OnResponse;
            _network.RequestFailed -= OnFailed;
            _network.RequestFinished -= OnDone;
            _page.FrameNavigated -= OnNavigated;
        }
    }
}
