# kaigi — 日本語。キーは en.ftl と揃えること（テストで双方向に確認）。

skip-to-content = 本文へ移動
nav-label = メイン
nav-home = ホーム
nav-committees = 委員会
nav-people = 人名録
nav-organisations = 組織
nav-admin = 管理
sign-in = ログイン
sign-out = ログアウト
footer-text = kaigi — マルチステークホルダー・フォーラムのための会合・提案募集・プログラム・参加登録の基盤
save = 保存
yes = はい
no = いいえ

home-title = フォーラムと委員会
home-lede = フォーラムの各回と、それを準備する委員会の年間を通じた活動。
home-editions = 開催回
home-no-editions = 開催回はまだありません。
home-proposals = 件の提案
home-committees = 委員会
home-people-count = 人名録の登録者数

login-title = ログイン
login-failed = メールアドレスまたはパスワードが正しくありません。
login-locked = このアカウントまたは接続元からのログイン失敗が続いています。15 分ほど待ってから再度お試しください。
forgot-link = パスワードをお忘れですか？
forgot-title = パスワードの再設定
forgot-lede = アカウントのメールアドレスを入力してください。新しいパスワードを設定するためのリンクをお送りします。
forgot-send = リンクを送信
forgot-sent = このアドレスのアカウントがあれば、パスワード再設定のリンクを送信しました。有効期限は 2 時間です。
reset-title = 新しいパスワードの設定
reset-save = 新しいパスワードを保存
reset-done = パスワードを変更しました。新しいパスワードでログインしてください。
password-mismatch = 2 つのパスワードが一致しません。
password-too-short = パスワードは { $min } 文字以上にしてください。
account-title = アカウント
account-roles = 役割
account-no-roles = 役割はまだありません。
scope-global = サイト全体
invitation-title = 招待の受諾
invitation-lede = 次の役割で招待されています：
invitation-accept = アカウントを作成
invitation-name-required = お名前を入力してください。

field-email = メールアドレス
field-password = パスワード
field-new-password = 新しいパスワード（10 文字以上）
field-password-again = 確認のためもう一度
field-display-name = お名前（ご自身の表記で）
field-name = 氏名
field-name-hint = 本人の表記どおり（文字種は問いません）
field-reading = 読み
field-reading-hint = 五十音順に使います（例：ふじい けんた）
field-romanized = ローマ字表記
field-group = ステークホルダー区分
field-region = 国連地域グループ
field-country = 国
field-country-hint = 2 文字の国コード（例：JP）
field-gender = ジェンダー
field-gender-hint = 任意・本人の記述どおり
field-youth = ユース
field-organisation = 所属
field-title = 役職

gojuon-note = 五十音順・敬称略
people-filter = 氏名・読み・ローマ字で検索
people-filter-button = 絞り込み
people-none = 該当者はいません。
pager-label = ページ
pager-previous = 前へ
pager-next = 次へ
person-new = 人物を追加
person-edit = 編集
person-merged = この項目は重複として統合済みです。
person-merged-link = 統合先の項目へ
affiliations = 所属の履歴
affiliation-present = 現在
affiliation-current = 現職
affiliation-period = 期間
affiliation-add = 所属を追加
affiliation-since = 開始日
affiliation-until = 終了日
affiliation-until-hint = 現職の間は空欄
merge-title = 重複の統合
merge-lede = 同じ人が二重に登録されている場合、この項目を残す側に統合します。所属・提案・委員会の席は移り、この項目は参照先として残ります。
merge-into = 残す項目
merge-button = 選んだ項目に統合
organisation-new = 組織を追加
conflict-person = 編集中に別の人がこの人物を保存しました。相手の版とあなたの版を並べて表示しています。あなたの入力はフォームに残っています。両方を確認してから保存し直してください。
conflict-theirs = 先に保存された版（左）とあなたの版（右）
conflict-hint = ここで保存すると、左の版は下のフォームの内容で置き換わります。

edition-manage = 事務局
edition-public-page = 開催回の公開ページ
edition-timezone = タイムゾーン
edition-days = 日程
edition-day = 日
edition-date = 日付
edition-hours = 時間
edition-rooms = 会場
edition-room = 部屋
edition-capacity = 席数
edition-features = 設備
edition-tracks = トラック
edition-themes = テーマ
manage-proposals = 提案
manage-chart-caption = セッション種別ごとの提案数
manage-type = セッション種別
manage-other = その他
manage-total = 合計
status-draft = 下書き
status-submitted = 提出済み
status-withdrawn = 取り下げ
status-accepted = 採択
status-rejected = 不採択

committee-meetings = 会合
committee-meeting = 会合
committee-venue = 開催場所
committee-members = 構成員
meeting-numbered = { $series } 第 { $number } 回

audit-title = 監査ログ
audit-lede = 保存データへのすべての変更：誰が、いつ、変更前と変更後。
audit-entity = 記録の種類
audit-when = 日時
audit-who = 実行者
audit-what = 内容
audit-before = 変更前
audit-after = 変更後
outbox-title = 送信箱
outbox-lede = kaigi が送るメールはすべてまずここに保存されます（SMTP サーバーの設定の有無にかかわらず）。
outbox-to = 宛先
outbox-sent = 送信済み
outbox-failed = 送信失敗
outbox-queued = 送信待ち
outbox-unsent = 件が送信待ち
outbox-empty = メッセージはありません。
outbox-smtp-on = 設定された SMTP サーバーから送信します。
outbox-smtp-off = SMTP サーバーが未設定のため、メッセージはここに保存され、閲覧・転送できます。
users-title = アカウント
invite-title = 招待する
invite-role = 役割
invite-scope = 対象
invite-language = 招待メールの言語
invite-send = 招待を送る
invite-scope-mismatch = その役割とその対象は組み合わせられません。管理者はサイト全体、委員会構成員は委員会、それ以外の役割は開催回に対して付与します。

mail-invite-subject = kaigi へのご招待
mail-invite-body = kaigi に「{ $role }」として招待されました。

    次のリンクからアカウントを作成してください（有効期限 14 日）：
    { $link }
mail-reset-subject = kaigi のパスワード再設定
mail-reset-body = { $name } 様

    kaigi アカウントのパスワード再設定が依頼されました。ご本人の場合は、次のリンクから新しいパスワードを設定してください（有効期限 2 時間）：
    { $link }

    お心当たりがない場合はこのメールを破棄してください。パスワードは変更されません。

group-government = 政府
group-intergovernmental = 政府間機関
group-private-sector = 民間セクター
group-civil-society = 市民社会
group-technical-community = 技術コミュニティ
group-academia = 学術
region-african = アフリカ・グループ
region-asia-pacific = アジア太平洋グループ
region-eastern-european = 東欧グループ
region-latin-american-caribbean = ラテンアメリカ・カリブ・グループ
region-western-european-others = 西欧その他グループ
role-admin = 管理者
role-secretariat = 事務局
role-evaluator = 評価者
role-organiser = セッション主催者
role-committee-member = 委員会構成員
role-participant = 参加者
session-type-workshop = ワークショップ
session-type-open-forum = オープンフォーラム
session-type-dynamic-coalition = ダイナミック・コアリション・セッション
session-type-nri-session = NRI セッション
session-type-day-zero = Day 0 イベント
session-type-lightning-talk = ライトニングトーク
session-type-launch-award = ローンチ／表彰
session-type-town-hall = タウンホール
session-type-main = メインセッション
venue-onsite = 現地開催
venue-online = オンライン開催
venue-hybrid = ハイブリッド開催
feature-hybrid = ハイブリッド設備
feature-interpretation = 通訳
