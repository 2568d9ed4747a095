# Connect-AlexaAccount -Interactive: a visible Chromium where a person completes the sign-in steps the
# module cannot (captcha, push approval). The test is that person: it drives the very same window
# through the DevTools port the module opens on request, then checks the session continues headless.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    function Get-FreePort { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $p = $l.LocalEndpoint.Port; $l.Stop(); $p }

    # A visible browser needs a display: use the one there is, else a virtual one (Debian's xvfb).
    $script:Xvfb = $null
    $script:NoDisplay = $false
    if ($IsLinux -and -not $env:DISPLAY) {
        if (Get-Command Xvfb -ErrorAction SilentlyContinue) {
            $display = ":$(Get-Random -Minimum 90 -Maximum 400)"
            $script:Xvfb = Start-Process Xvfb -ArgumentList $display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp' -PassThru
            $env:DISPLAY = $display
            $deadline = [datetime]::UtcNow.AddSeconds(10)
            while (-not (Test-Path "/tmp/.X11-unix/X$($display.TrimStart(':'))") -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        }
        else { $script:NoDisplay = $true }
    }
    # The test's own Playwright client (the module's copy of the library, with its driver beside it).
    $playwrightDll = Get-ChildItem (Split-Path $ModulePath) -Recurse -Filter Microsoft.Playwright.dll | Select-Object -First 1
    Add-Type -Path $playwrightDll.FullName
    # The module carries the driver's JavaScript but no node: the test's client runs it on the machine's node.
    $script:NodeBefore = $env:PLAYWRIGHT_NODEJS_PATH
    if (-not $env:PLAYWRIGHT_NODEJS_PATH) { $env:PLAYWRIGHT_NODEJS_PATH = (Get-Command node -CommandType Application | Select-Object -First 1).Source }
    $script:Port = Get-FreePort
    $env:ALEXAPRIVACY_INTERACTIVE_DEBUGGING_PORT = $Port

    # Starts Connect-AlexaAccount -Interactive in another runspace of this process, as a person at a console would.
    function Start-InteractiveConnect {
        param([string] $Email, [string] $SessionPath)
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $Email, $Base, $SessionPath)
                Import-Module $ModulePath
                Connect-AlexaAccount -Email $Email -BaseUri $Base -Interactive -SessionPath $SessionPath -Verbose
            }).AddArgument($ModulePath).AddArgument($Email).AddArgument($Base).AddArgument($SessionPath)
        $script:LastRun = [pscustomobject]@{ PowerShell = $ps; Async = $ps.BeginInvoke() }
        $LastRun
    }

    # Connects to the module's visible browser and returns the page that shows Amazon's sign-in.
    function Get-SignInWindow {
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        if (-not $script:Driver) { $script:Driver = [Microsoft.Playwright.Playwright]::CreateAsync().GetAwaiter().GetResult() }
        $browser = $null
        while (-not $browser -and [datetime]::UtcNow -lt $deadline) {
            try { $browser = $Driver.Chromium.ConnectOverCDPAsync("http://127.0.0.1:$Port").GetAwaiter().GetResult() }
            catch { Start-Sleep -Milliseconds 250 }
        }
        if (-not $browser) {
            $said = if ($script:LastRun) { ($LastRun.PowerShell.Streams.Error | ForEach-Object { $_.Exception.InnerException.Message } | Out-String) } else { '' }
            throw "The visible browser did not open its DevTools port $Port. Connect-AlexaAccount said: $said"
        }
        while ([datetime]::UtcNow -lt $deadline) {
            $page = $browser.Contexts | ForEach-Object { $_.Pages } | Where-Object { $_.Url -match '/ap/signin' } | Select-Object -First 1
            # The person starts once the window settled: the module has filled in the email address.
            if ($page -and $page.Locator('#ap_email').CountAsync().GetAwaiter().GetResult() -gt 0 -and
                $page.Locator('#ap_email').InputValueAsync().GetAwaiter().GetResult()) { return $page }
            Start-Sleep -Milliseconds 200
        }
        throw 'No sign-in page appeared in the visible browser.'
    }

    # True when something accepts a TCP connection on the loopback port (bounded).
    function Test-PortOpen {
        param([int] $Number)
        $client = [Net.Sockets.TcpClient]::new()
        try { $client.ConnectAsync([Net.IPAddress]::Loopback, $Number).Wait(2000) -and $client.Connected }
        catch { $false }
        finally { $client.Dispose() }
    }

    # Waits (at most 30 s) until the page's address matches, as navigation events report it to the test's client.
    function Wait-PageAddress { param($Page, [string] $Pattern)
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while ($Page.Url -notmatch $Pattern -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        if ($Page.Url -notmatch $Pattern) { throw "The window did not go to an address that matches '$Pattern' within 30 s; it shows $($Page.Url)." }
    }

    function Invoke-AsPerson { param($Page, [string] $Selector, [string] $Text)
        $locator = $Page.Locator($Selector)
        if ($PSBoundParameters.ContainsKey('Text')) { $locator.FillAsync($Text).GetAwaiter().GetResult() }
        else { $locator.ClickAsync().GetAwaiter().GetResult() }
    }
}

AfterAll {
    if ($script:Driver) { $Driver.Dispose() }
    $env:ALEXAPRIVACY_INTERACTIVE_DEBUGGING_PORT = $null
    $env:PLAYWRIGHT_NODEJS_PATH = $NodeBefore
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
    if ($Xvfb -and -not $Xvfb.HasExited) { $Xvfb.Kill(); $env:DISPLAY = $null }
}

Describe 'Connect-AlexaAccount -Interactive' -Skip:($NoDisplay) {
    It 'lets a person solve a captcha in the visible browser, then continues headless and saves the session' {
        $account = New-ReplicaAccount $Replica -Challenge captcha -Settings @{ VoiceRecordingReview = $true }
        $path = Join-Path $TestDrive 'interactive.session'
        $run = Start-InteractiveConnect -Email $account.Email -SessionPath $path
        try {
            $page = Get-SignInWindow
            # The module filled in the email address and nothing else.
            $page.Locator('#ap_email').InputValueAsync().GetAwaiter().GetResult() | Should -Be $account.Email
            Invoke-AsPerson $page '#continue'
            $null = $page.WaitForSelectorAsync('#ap_password').GetAwaiter().GetResult()
            Invoke-AsPerson $page '#ap_password' $account.Password
            Invoke-AsPerson $page '#signInSubmit'
            # The person reads the characters off the captcha image.
            $null = $page.WaitForSelectorAsync('#auth-captcha-guess').GetAwaiter().GetResult()
            Invoke-AsPerson $page '#auth-captcha-guess' (Get-ReplicaAccount $Replica $account.Email).captchaText
            Invoke-AsPerson $page '#signInSubmit'

            $session = $run.PowerShell.EndInvoke($run.Async)[0]
            $run.PowerShell.Streams.Error | Should -BeNullOrEmpty
            $session.IsOpen | Should -BeTrue
            $session.Account | Should -Be $account.Email
            (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
            # The visible window is closed; the session works in the headless browser.
            $page.IsClosed | Should -BeTrue
            (Get-AlexaDataSetting -Session $session -Name VoiceRecordingReview).Value | Should -Be 'On'
            Set-AlexaDataSetting -Session $session -Enabled $false -Confirm:$false
            (Get-ReplicaAccount $Replica $account.Email).settings.VoiceRecordingReview | Should -BeFalse
            [int](Get-Item $path).UnixFileMode | Should -Be ([Convert]::ToInt32('600', 8))
            Disconnect-AlexaAccount -Session $session

            # The saved session needs no person and no password next time.
            $again = Connect-AlexaAccount -Email $account.Email -SessionPath $path -BaseUri $Base
            $again.Reused | Should -BeTrue
            (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
            Disconnect-AlexaAccount -Session $again
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'lets a person approve the sign-in on the phone while the visible browser waits' {
        $account = New-ReplicaAccount $Replica -Challenge approval
        $run = Start-InteractiveConnect -Email $account.Email -SessionPath (Join-Path $TestDrive 'approved.session')
        try {
            $page = Get-SignInWindow
            Invoke-AsPerson $page '#continue'
            $null = $page.WaitForSelectorAsync('#ap_password').GetAwaiter().GetResult()
            Invoke-AsPerson $page '#ap_password' $account.Password
            Invoke-AsPerson $page '#signInSubmit'
            # The person sees the approval page in the window's address. Not WaitForURLAsync: when the address
            # already matches, Playwright .NET waits for the load event whatever WaitUntil says, and the test's
            # DevTools-connected client at times never records that event (30 s out with the page shown).
            Wait-PageAddress $page '/ap/cvf/approval'
            (Invoke-ReplicaAdmin $Replica -Method POST -Path "/__replica/accounts/$($account.Email)/approve").approved | Should -Be 1
            $session = $run.PowerShell.EndInvoke($run.Async)[0]
            $run.PowerShell.Streams.Error | Should -BeNullOrEmpty
            $session.IsOpen | Should -BeTrue
            # The window closed, and its DevTools port with it: nothing else can drive this process's browsers.
            Test-PortOpen $Port | Should -BeFalse
            (Get-AlexaDataSetting -Session $session -Name VoiceRecordingReview).Account | Should -Be $account.Email
            Disconnect-AlexaAccount -Session $session
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'keeps no sign-in that the person made in the window for another account than -Email' {
        $asked = New-ReplicaAccount $Replica
        $other = New-ReplicaAccount $Replica
        $path = Join-Path $TestDrive 'other-person.session'
        $run = Start-InteractiveConnect -Email $asked.Email -SessionPath $path
        try {
            $page = Get-SignInWindow
            # The person replaces the email address the module filled in, and signs in as someone else.
            Invoke-AsPerson $page '#ap_email' $other.Email
            Invoke-AsPerson $page '#continue'
            $null = $page.WaitForSelectorAsync('#ap_password').GetAwaiter().GetResult()
            Invoke-AsPerson $page '#ap_password' $other.Password
            Invoke-AsPerson $page '#signInSubmit'
            $out = $run.PowerShell.EndInvoke($run.Async)
            $out | Should -BeNullOrEmpty
            $errors = @($run.PowerShell.Streams.Error)
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionAccountMismatch,*'
            $errors[0].Exception.Message | Should -Match ([regex]::Escape($other.Email))
            (Get-ReplicaAccount $Replica $other.Email).signInCount | Should -Be 1
            Test-Path $path | Should -BeFalse -Because 'a sign-in of another account is not saved as this one'
        }
        finally { $run.PowerShell.Dispose() }
    }

    It 'closes the DevTools port with the window, also when the sign-in fails, and opens it again for the next window' {
        $profile = Join-Path $TestDrive 'short-interactive.json'
        '{ "timeouts": { "interactiveSeconds": 20 } }' | Set-Content $profile
        $account = New-ReplicaAccount $Replica
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $Email, $Base, $Profile)
                Import-Module $ModulePath
                Connect-AlexaAccount -Email $Email -BaseUri $Base -Interactive -SiteProfile $Profile -WarningAction SilentlyContinue
            }).AddArgument($ModulePath).AddArgument($account.Email).AddArgument($Base).AddArgument($profile)
        $async = $ps.BeginInvoke()
        try {
            $page = Get-SignInWindow
            Test-PortOpen $Port | Should -BeTrue -Because 'the window is open for the person'
            # Nobody signs in: the wait runs out.
            $null = $ps.EndInvoke($async)
            ($ps.Streams.Error | Select-Object -First 1).FullyQualifiedErrorId | Should -BeLike 'AlexaTimeout*'
            Test-PortOpen $Port | Should -BeFalse
        }
        finally { $ps.Dispose() }
    }
}
