// Watches the requests a privacy page makes by itself (fetch/XHR) while the module waits for it:
// which are still unanswered (a hang), whether Amazon throttled one (429/503) or ended the session (401).
using System;
using System.Collections.Generic;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal sealed class DataRequestWatch : IDisposable
    {
        private readonly IPage _page;
        private readonly object _sync = new object();
        private readonly HashSet<IRequest> _inFlight = new HashSet<IRequest>();

        public DataRequestWatch(IPage page)
        {
            _page = page;
            _page.Request += OnRequest;
            _page.Response += OnResponse;
            _page.RequestFailed += OnDone;
            _page.RequestFinished += OnDone;
        }

        /// <summary>The status of the last data request Amazon throttled (429 or 503), else 0.</summary>
        public int ThrottledStatus { get; private set; }

        /// <summary>True once a data request was answered 401: Amazon ended the session.</summary>
        public bool SessionEnded { get; private set; }

        /// <summary>How many data requests are sent and not answered yet.</summary>
        public int Unanswered
        {
            get { lock (_sync) return _inFlight.Count; }
        }

        private static bool IsDataRequest(IRequest request) =>
            request.ResourceType == "fetch" || request.ResourceType == "xhr";

        private void OnRequest(object sender, IRequest request)
        {
            if (!IsDataRequest(request)) return;
            lock (_sync) _inFlight.Add(request);
        }

        private void OnResponse(object sender, IResponse response)
        {
            if (!IsDataRequest(response.Request)) return;
            lock (_sync) _inFlight.Remove(response.Request);
            if (response.Status == 429 || response.Status == 503) ThrottledStatus = response.Status;
            if (response.Status == 401) SessionEnded = true;
        }

        private void OnDone(object sender, IRequest request)
        {
            lock (_sync) _inFlight.Remove(request);
        }

        public void Dispose()
        {
            _page.Request -= OnRequest;
            _page.Response -= OnResponse;
            _page.RequestFailed -= OnDone;
            _page.RequestFinished -= OnDone;
        }
    }
}
