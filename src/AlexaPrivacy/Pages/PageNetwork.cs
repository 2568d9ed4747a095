// The network events of one browser page, subscribed once for the page's life. Adding the first
// handler of a kind to a Playwright page (and removing the last) sends the driver a message that
// turns those events on (or off); a watch per page load did that eight times per load. The module's
// watches (PageLoadWatch, the records feed, the answers to a change) take the events from here
// instead, so a page costs four such messages in all.
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Pages
{
    internal sealed class PageNetwork
    {
        private static readonly ConditionalWeakTable<IPage, PageNetwork> Pages = new ConditionalWeakTable<IPage, PageNetwork>();

        private readonly IPage _page;

        /// <summary>The network events of <paramref name="page"/>; the first call subscribes to them.</summary>
        public static PageNetwork Of(IPage page) => Pages.GetValue(page, p => new PageNetwork(p));

        private PageNetwork(IPage page)
        {
            _page = page;
            page.Request += (sender, request) => Request?.Invoke(sender, request);
            page.Response += (sender, response) => Response?.Invoke(sender, response);
            page.RequestFailed += (sender, request) => RequestFailed?.Invoke(sender, request);
            page.RequestFinished += (sender, request) => RequestFinished?.Invoke(sender, request);
        }

        /// <summary>A request the page sent.</summary>
        public event EventHandler<IRequest> Request;

        /// <summary>The answer's status and headers arrived.</summary>
        public event EventHandler<IResponse> Response;

        /// <summary>A request that got no answer (refused, cut off, or cancelled by the page).</summary>
        public event EventHandler<IRequest> RequestFailed;

        /// <summary>The whole answer arrived.</summary>
        public event EventHandler<IRequest> RequestFinished;

        /// <summary>
        /// The next navigation of the page's main frame, from now on, as Playwright's own wait for a navigation
        /// until DOMContentLoaded sees it, without that wait's messages to the driver: the final answer to the
        /// document's request once the new document fired DOMContentLoaded (its redirects followed), or null
        /// when the frame moved within its document (no document request since the wait began). A document
        /// request that failed is a <see cref="PlaywrightException"/> with the browser's reason ("net::ERR_…
        /// at URL", the URL without its query); a page closed or crashed first too; a <see cref="TimeoutException"/> after
        /// <paramref name="timeout"/>; cancelled with <paramref name="cancel"/>.
        /// </summary>
        public Task<IResponse> NextDocumentAsync(TimeSpan timeout, CancellationToken cancel)
        {
            var loaded = new TaskCompletionSource<IResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            var sync = new object();
            IRequest document = null;
            IResponse answer = null;
            bool navigated = false;
            bool IsDocument(IRequest request)
            {
                try
                {
                    return request.IsNavigationRequest && request.Frame == _page.MainFrame;
                }
                catch (PlaywrightException)
                {
                    return false; // a request of no frame (a worker's)
                }
            }
            void OnRequest(object sender, IRequest request)
            {
                if (IsDocument(request)) lock (sync) document = request;
            }
            void OnResponse(object sender, IResponse response)
            {
                if (IsDocument(response.Request)) lock (sync) answer = response;
            }
            void OnFailed(object sender, IRequest request)
            {
                // A redirect's request ends in its next one, not in a failure; this is the document's own.
                if (!IsDocument(request)) return;
                lock (sync) if (!ReferenceEquals(request, document)) return;
                // The address up to its path: a form sent with GET carries what was typed in its query.
                string at = Uri.TryCreate(request.Url, UriKind.Absolute, out var url) ? url.GetLeftPart(UriPartial.Path) : "the page's address";
                loaded.TrySetException(new PlaywrightException($"{request.Failure ?? "net::ERR_FAILED"} at {at}"));
            }
            void OnNavigated(object sender, IFrame frame)
            {
                if (frame != _page.MainFrame) return;
                lock (sync)
                {
                    navigated = true;
                    if (document == null) loaded.TrySetResult(null);
                }
            }
            void OnDocumentLoaded(object sender, IPage page)
            {
                lock (sync) if (navigated) loaded.TrySetResult(answer);
            }
            Request += OnRequest;
            Response += OnResponse;
            RequestFailed += OnFailed;
            _page.FrameNavigated += OnNavigated;
            _page.DOMContentLoaded += OnDocumentLoaded;
            return Bounded(loaded, timeout, cancel, "No page arrived", "The page was closed before its next page arrived.", () =>
            {
                Request -= OnRequest;
                Response -= OnResponse;
                RequestFailed -= OnFailed;
                _page.FrameNavigated -= OnNavigated;
                _page.DOMContentLoaded -= OnDocumentLoaded;
            });
        }

        /// <summary>
        /// The next answer that <paramref name="matches"/>, from now on. A <see cref="TimeoutException"/> after
        /// <paramref name="timeout"/>, a <see cref="PlaywrightException"/> when the page closes or crashes first,
        /// cancelled with <paramref name="cancel"/> (which also stops the watch of an answer no longer wanted).
        /// </summary>
        public Task<IResponse> NextResponseAsync(Func<IResponse, bool> matches, TimeSpan timeout, CancellationToken cancel)
        {
            var answered = new TaskCompletionSource<IResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnResponse(object sender, IResponse response)
            {
                try
                {
                    if (matches(response)) answered.TrySetResult(response);
                }
                catch (Exception e)
                {
                    answered.TrySetException(e);
                }
            }
            Response += OnResponse;
            return Bounded(answered, timeout, cancel, "No answer", "The page was closed before it was answered.", () => Response -= OnResponse);
        }

        /// <summary>
        /// Ends <paramref name="done"/> when the page closes or crashes, after <paramref name="timeout"/> (zero:
        /// never, as Playwright's timeouts) or on <paramref name="cancel"/>; once it has ended, <paramref name="detach"/>
        /// removes the handlers that were to end it. Its fault is observed here: a caller that no longer awaits
        /// it (a click that failed, an answer no longer wanted) leaves no unobserved exception.
        /// </summary>
        private Task<T> Bounded<T>(TaskCompletionSource<T> done, TimeSpan timeout, CancellationToken cancel, string late, string closed, Action detach)
        {
            void OnClose(object sender, IPage page) => done.TrySetException(new PlaywrightException(closed));
            _page.Close += OnClose;
            _page.Crash += OnClose;
            var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var registration = limit.Token.Register(() =>
            {
                if (cancel.IsCancellationRequested) done.TrySetCanceled(cancel);
                else done.TrySetException(new TimeoutException($"{late} within {timeout.TotalMilliseconds:0} ms."));
            });
            if (timeout > TimeSpan.Zero) limit.CancelAfter(timeout.TotalMilliseconds < int.MaxValue ? timeout : TimeSpan.FromMilliseconds(int.MaxValue));
            _ = done.Task.ContinueWith(ended =>
            {
                _ = ended.Exception;
                detach();
                _page.Close -= OnClose;
                _page.Crash -= OnClose;
                registration.Dispose();
                limit.Dispose();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return done.Task;
        }
    }
}
